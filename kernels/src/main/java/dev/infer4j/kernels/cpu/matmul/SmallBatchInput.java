package dev.infer4j.kernels.cpu.matmul;

import java.lang.foreign.MemorySegment;

/**
 * The rows of x of one GEMV or small-batch matmul ({@link SmallBatchMatmul}), prepared once by the calling thread
 * before its pool splits the panels (not once per chunk): for the integer kernels each row rounded to 8 bits
 * ({@link QuantizedInput}, one instance per row), otherwise the F32 rows copied to the heap (the kernels read x from
 * arrays: see {@link GemmKernels}). Owned by a {@link MatmulTask}, so reused by every call of its thread.
 */
final class SmallBatchInput {
    private final QuantizedInput[] quantized = new QuantizedInput[SmallBatchMatmul.MAX_ROWS];
    private int rows;
    private int k;
    private float[] floats = new float[0];

    /** Holds {@code rows} rows of {@code k} floats, {@code xStride} bytes apart; rounds each to 8 bits if asked. */
    void prepare(MemorySegment x, long xStride, int rows, int k, boolean quantize) {
        this.rows = rows;
        this.k = k;
        if (!quantize) {
            if (floats.length < rows * k) {
                floats = new float[rows * k];
            }
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(x, Lanes.F32, r * xStride, floats, r * k, k);
            }
        } else {
            for (int r = 0; r < rows; r++) {
                if (quantized[r] == null) {
                    quantized[r] = new QuantizedInput();
                }
                quantized[r].quantize(x, r * xStride, k);
            }
        }
    }

    int rows() {
        return rows;
    }

    /** The rows copied to the heap (after {@code prepare(..., false)}), row {@code r} at {@link #floatsOffset}. */
    float[] floats() {
        return floats;
    }

    int floatsOffset(int r) {
        return r * k;
    }

    /** Row {@code r} rounded to 8 bits (after {@code prepare(..., true)}). */
    QuantizedInput quantized(int r) {
        return quantized[r];
    }
}
