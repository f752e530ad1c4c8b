package dev.infer4j.models.llama;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;

/**
 * Keys and values of past positions for a fixed number of sequence slots, F32, in backend memory. Layer
 * {@code l} keeps one {@code [slots * capacity, kvDim]} tensor for keys and one for values; slot {@code s}
 * owns rows {@code [s * capacity, (s + 1) * capacity)}, position {@code p} of it row {@code s * capacity + p}.
 * Keys are stored after RoPE. The cache does not know how many positions of a slot are filled: the
 * sequence that owns the slot does (see {@link ForwardBatch}).
 */
public final class KvCache {
    private final int slots;
    private final int capacity;
    private final int kvDim;
    private final Tensor[] keys;
    private final Tensor[] values;
    /** Per layer and slot, the slot's rows seen as attention's {@code [1, capacity, kvDim]}; made once. */
    private final Tensor[][] slotKeys;
    private final Tensor[][] slotValues;

    KvCache(Backend backend, int layers, int slots, int capacity, int kvDim) {
        if (slots <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("a KV cache needs at least one slot and position, got " + slots
                    + " slots x " + capacity + " positions");
        }
        this.slots = slots;
        this.capacity = capacity;
        this.kvDim = kvDim;
        keys = new Tensor[layers];
        values = new Tensor[layers];
        slotKeys = new Tensor[layers][slots];
        slotValues = new Tensor[layers][slots];
        long rows = Math.multiplyExact((long) slots, capacity);
        for (int l = 0; l < layers; l++) {
            keys[l] = backend.allocate(DType.F32, rows, kvDim);
            values[l] = backend.allocate(DType.F32, rows, kvDim);
            for (int s = 0; s < slots; s++) {
                slotKeys[l][s] = keys[l].rowSlice((long) s * capacity, capacity).reshape(1, capacity, kvDim);
                slotValues[l][s] = values[l].rowSlice((long) s * capacity, capacity).reshape(1, capacity, kvDim);
            }
        }
    }

    /** Number of sequences it can hold at once. */
    public int slots() {
        return slots;
    }

    /** Positions per slot: the longest sequence (prompt plus generated tokens) a slot can hold. */
    public int capacity() {
        return capacity;
    }

    /** Bytes of backend memory it occupies. */
    public long byteSize() {
        return 2L * keys.length * slots * capacity * kvDim * Float.BYTES;
    }

    Tensor keys(int layer) {
        return keys[layer];
    }

    Tensor values(int layer) {
        return values[layer];
    }

    Tensor slotKeys(int layer, int slot) {
        return slotKeys[layer][slot];
    }

    Tensor slotValues(int layer, int slot) {
        return slotValues[layer][slot];
    }

    /** First cache row of a position of a slot. */
    long row(int slot, int position) {
        return (long) slot * capacity + position;
    }
}
