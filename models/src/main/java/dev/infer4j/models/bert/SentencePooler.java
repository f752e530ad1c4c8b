package dev.infer4j.models.bert;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import java.util.Arrays;

/**
 * Turns an encoder's packed token states into one vector per sequence on the backend (mean, first
 * or last token), and reads vectors back to the host. Holds one buffer of up to {@code capacity} rows,
 * allocated for the first call's sequences and replaced by a full one when more come (as the encoder's
 * activations are); not thread-safe.
 */
public final class SentencePooler {
    private final Backend backend;
    private final int width;
    private final int capacity;
    private Tensor pooled;

    public SentencePooler(Backend backend, int width, int capacity) {
        if (width < 1 || capacity < 1) {
            throw new IllegalArgumentException("width and capacity must be positive, got " + width + " and " + capacity);
        }
        this.backend = backend;
        this.width = width;
        this.capacity = capacity;
    }

    private Tensor pooledFor(int sequences) {
        if (pooled == null || pooled.rows() < sequences) {
            int rows = pooled == null ? Math.min(capacity, Math.max(16, sequences)) : capacity;
            pooled = backend.allocate(DType.F32, rows, width);
        }
        return pooled;
    }

    /** One row per sequence of {@code batch}, pooled from {@code states} ({@code [batch.tokens(), width]}); a view valid until the next call. */
    public Tensor pool(Tensor states, PackedBatch batch, PoolingMode mode) {
        int sequences = batch.sequences();
        if (sequences > capacity) {
            throw new IllegalArgumentException(sequences + " sequences exceed the pooler capacity of " + capacity);
        }
        Tensor out = pooledFor(sequences).rowSlice(0, sequences);
        switch (mode) {
            case CLS -> {
                for (int s = 0; s < sequences; s++) {
                    backend.copyRows(states, batch.offset(s), out, s, 1);
                }
            }
            case LAST_TOKEN -> {
                for (int s = 0; s < sequences; s++) {
                    backend.copyRows(states, batch.offset(s) + batch.length(s) - 1L, out, s, 1);
                }
            }
            case MEAN -> meanOfRuns(states, batch, out);
        }
        return out;
    }

    /** Mean pooling, one backend call per run of equal-length sequences (they form a dense block). */
    private void meanOfRuns(Tensor states, PackedBatch batch, Tensor out) {
        int s = 0;
        while (s < batch.sequences()) {
            int length = batch.length(s);
            int run = 1;
            while (s + run < batch.sequences() && batch.length(s + run) == length) {
                run++;
            }
            int[] lengths = new int[run];
            Arrays.fill(lengths, length);
            backend.meanPool(states.rowSlice(batch.offset(s), (long) run * length), run, length, lengths,
                    out.rowSlice(s, run));
            s += run;
        }
    }

    /** Copies the first {@code rows} rows of {@code t} ({@code [*, width]}) to new host arrays. */
    public float[][] read(Tensor t, int rows) {
        int columns = (int) t.columns();
        float[][] result = new float[rows][columns];
        for (int r = 0; r < rows; r++) {
            backend.read(t, (long) r * columns, result[r], 0, columns);
        }
        return result;
    }

    public int width() {
        return width;
    }
}
