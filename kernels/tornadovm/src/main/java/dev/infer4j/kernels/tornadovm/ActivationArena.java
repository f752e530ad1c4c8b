package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Hands out activation tensors as ranges of one device array, addressed by element offset.
 *
 * <p>A tensor must be a {@link Tensor} over a {@link MemorySegment}, so each one is a view of the host
 * mirror of the arena ({@link FloatArray}); its host memory is only an identity: the values live on the
 * device, and {@link #offsetOf} finds a tensor's (or a slice's) offset from its address. Memory is never
 * reused before the backend closes, so a new range is zero on the device as on the host. When the arena
 * is full, a bigger mirror replaces it (the owner then copies the device contents over and rebuilds its
 * plan); earlier mirrors stay alive because earlier tensors are views of them.
 */
final class ActivationArena {
    /** Offsets are rounded up to 16 floats (64 bytes, {@link Tensor#ALIGNMENT}). */
    private static final int ALIGN = 16;
    /** Most floats one arena can hold: TornadoVM arrays are int-indexed. */
    static final long MAX_FLOATS = Integer.MAX_VALUE - 64;

    private final List<FloatArray> mirrors = new ArrayList<>();
    private FloatArray current;
    private long used;

    ActivationArena(long initialFloats) {
        current = new FloatArray(checkedSize(initialFloats));
        mirrors.add(current);
    }

    /** The array the device plan must hold; replaced when the arena grows. */
    FloatArray current() {
        return current;
    }

    /** Floats handed out so far. */
    long used() {
        return used;
    }

    /** A zeroed F32 or I32 tensor of the given shape in the arena. */
    Tensor allocate(DType dtype, long[] shape) {
        if (dtype != DType.F32 && dtype != DType.I32) {
            throw new IllegalArgumentException("activations are F32 or I32, not " + dtype);
        }
        long count = 1;
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor dimensions must be positive, got " + java.util.Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, d);
        }
        long offset = used;
        long end = offset + count;
        if (end > current.getSize()) {
            grow(end + end / 2);
        }
        used = (end + ALIGN - 1) / ALIGN * ALIGN;
        MemorySegment view = current.getSegment().asSlice(offset * Float.BYTES, count * Float.BYTES);
        return Tensor.of(dtype, view, shape);
    }

    /** Makes room for at least {@code floats} floats: a new, bigger mirror that the next plan will upload. */
    void ensureCapacity(long floats) {
        if (floats > current.getSize()) {
            grow(floats);
        }
    }

    private void grow(long floats) {
        long size = Math.min(MAX_FLOATS, Math.max(floats, 2L * current.getSize()));
        FloatArray bigger = new FloatArray(checkedSize(size));
        current = bigger;
        mirrors.add(bigger);
    }

    /**
     * The element offset of {@code t} in the arena, or -1 if {@code t} is not a view of this arena's memory
     * (a host tensor, or another backend's).
     */
    long offsetOf(Tensor t) {
        long address = t.segment().address();
        for (int i = mirrors.size() - 1; i >= 0; i--) {
            MemorySegment m = mirrors.get(i).getSegment();
            long rel = address - m.address();
            if (rel >= 0 && rel < m.byteSize()) {
                long offset = rel / Float.BYTES;
                if (rel % Float.BYTES != 0 || offset + t.elementCount() > used) {
                    return -1;
                }
                return offset;
            }
        }
        return -1;
    }

    private static int checkedSize(long floats) {
        if (floats > MAX_FLOATS) {
            throw new DeviceException("the activation arena would need " + floats + " floats; TornadoVM arrays hold at most "
                    + MAX_FLOATS);
        }
        return (int) floats;
    }
}
