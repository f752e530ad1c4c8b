package dev.infer4j.kernels.cpu.matmul;

import java.lang.foreign.MemorySegment;

/**
 * The rows of x of one GEMV or small-batch matmul ({@link SmallBatchMatmul}), prepared once by the calling thread
 * before its pool splits the panels (not once per chunk): for the integer kernels each row rounded to 8 bits ({@link QuantizedInput}, one
 * instance per row), otherwise the F32 rows in place. Owned by a {@link MatmulTask}, so reused by every call of
 * its thread.
 */
final class SmallBatchInput {
    private final QuantizedInput[] quantized = new QuantizedInput[SmallBatchMatmul.MAX_ROWS];
    private MemorySegment x;
    private long xStride;
    private int rows;

    /** Holds {@code rows} rows of {@code k} floats, {@code xStride} bytes apart; rounds each to 8 bits if asked. */
    void prepare(MemorySegment x, long xStride, int rows, int k, boolean quantize) {
        this.x = x;
        this.xStride = xStride;
        this.rows = rows;
        if (quantize) {
            for (int r = 0; r < rows; r++) {
                if (quantized[r] == null) {
                    quantized[r] = new QuantizedInput();
                }
                quantized[r].quantize(x, r * xStride, k);
            }
        }
    }

    /** Forgets x once the call is over, so the segment can be freed. */
    void release() {
        x = null;
    }

    int rows() {
        return rows;
    }

    MemorySegment x() {
        return x;
    }

    /** Byte offset of row {@code r} of x. */
    long rowOffset(int r) {
        return r * xStride;
    }

    /** Row {@code r} rounded to 8 bits (after {@code prepare(..., true)}). */
    QuantizedInput quantized(int r) {
        return quantized[r];
    }
}
