package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.kernels.dtype.Dequantizer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Converts a host matrix into a resident format and appends it to the {@link ConstantArena}:
 * <ul>
 *   <li>F32 as is; F16 as halves where the device has fp16, else widened to F32 (exact);</li>
 *   <li>Q8_0 and Q4_0 split into their quants (bytes, ggml order) and one F32 scale per block (the F16 scale
 *       widened, exact), dequantized in the kernels;</li>
 *   <li>Q4_K, Q6_K and BF16 dequantized to F32 at upload (exact, but 4-8× the bytes of the file);</li>
 *   <li>{@link WeightLayout#IN_OUT} matrices of any dtype dequantized and transposed to F32 {@code [out, in]}.</li>
 * </ul>
 */
final class MatrixUploader {
    private static final ValueLayout.OfShort F16_BITS = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int QK = 32;

    private MatrixUploader() {
    }

    static ResidentMatrix upload(ConstantArena arena, DeviceSession owner, Tensor t, WeightLayout layout) {
        if (t.rank() != 2) {
            throw new IllegalArgumentException("a weight matrix has rank 2, got " + t);
        }
        DType dtype = t.dtype();
        if (dtype == DType.I32) {
            throw new IllegalArgumentException("I32 tensors are not weights: " + t);
        }
        long rows = t.dim(0);
        long cols = t.dim(1);
        if (layout == WeightLayout.IN_OUT) {
            int values = transposedFloats(arena, t);
            return new ResidentMatrix(dtype, ResidentMatrix.Format.F32, cols, rows, values, -1, owner);
        }
        return switch (dtype) {
            case Q8_0 -> blocks(arena, owner, t, 32, ResidentMatrix.Format.Q8_0);
            case Q4_0 -> blocks(arena, owner, t, 16, ResidentMatrix.Format.Q4_0);
            case F16 -> arena.hasHalfs()
                    ? new ResidentMatrix(dtype, ResidentMatrix.Format.F16, rows, cols, halves(arena, t), -1, owner)
                    : new ResidentMatrix(dtype, ResidentMatrix.Format.F32, rows, cols, floats(arena, t), -1, owner);
            default -> new ResidentMatrix(dtype, ResidentMatrix.Format.F32, rows, cols, floats(arena, t), -1, owner);
        };
    }

    /** Appends {@code t} (any dtype) as floats; returns their offset. Also used for norm weights, biases and tables. */
    static int floats(ConstantArena arena, Tensor t) {
        long count = t.elementCount();
        int offset = arena.appendFloats(count);
        MemorySegment dst = arena.floatSegment(offset, count);
        if (t.dtype() == DType.F32) {
            MemorySegment.copy(t.segment(), 0, dst, 0, count * Float.BYTES);
            return offset;
        }
        int cols = Math.toIntExact(t.columns());
        float[] row = new float[cols];
        for (long r = 0; r < t.rows(); r++) {
            Dequantizer.dequantize(t.dtype(), t.segment(), r * t.rowBytes(), row, 0, cols);
            MemorySegment.copy(row, 0, dst, FLOAT, r * cols * Float.BYTES, cols);
        }
        return offset;
    }

    private static int halves(ConstantArena arena, Tensor t) {
        long count = t.elementCount();
        int offset = arena.appendHalfs(count);
        MemorySegment.copy(t.segment(), 0, arena.halfSegment(offset, count), 0, count * 2);
        return offset;
    }

    /** Q8_0 ({@code quantBytes} 32) or Q4_0 (16): per block a F16 scale, then the quants. */
    private static ResidentMatrix blocks(ConstantArena arena, DeviceSession owner, Tensor t, int quantBytes,
                                         ResidentMatrix.Format format) {
        long blocks = t.elementCount() / QK;
        int scales = arena.appendFloats(blocks);
        int quants = arena.appendBytes(blocks * quantBytes);
        MemorySegment src = t.segment();
        MemorySegment qDst = arena.byteSegment(quants, blocks * quantBytes);
        int blockBytes = t.dtype().blockBytes();
        for (long b = 0; b < blocks; b++) {
            long at = b * blockBytes;
            arena.setFloat(scales + b, Float.float16ToFloat(src.get(F16_BITS, at)));
            MemorySegment.copy(src, at + 2, qDst, b * quantBytes, quantBytes);
        }
        return new ResidentMatrix(t.dtype(), format, t.dim(0), t.dim(1), quants, scales, owner);
    }

    /** A stored {@code [in, out]} matrix as F32 {@code [out, in]}. */
    private static int transposedFloats(ConstantArena arena, Tensor t) {
        int in = Math.toIntExact(t.dim(0));
        int out = Math.toIntExact(t.dim(1));
        int offset = arena.appendFloats((long) in * out);
        MemorySegment dst = arena.floatSegment(offset, (long) in * out);
        float[] row = new float[out];
        for (int i = 0; i < in; i++) {
            Dequantizer.dequantize(t.dtype(), t.segment(), i * t.rowBytes(), row, 0, out);
            for (int o = 0; o < out; o++) {
                dst.setAtIndex(ValueLayout.JAVA_FLOAT, (long) o * in + i, row[o]);
            }
        }
        return offset;
    }
}
