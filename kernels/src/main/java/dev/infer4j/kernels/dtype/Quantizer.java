package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Encodes F32 values to the quantized types infer4j can write (Q8_0, Q4_0), bit-exactly as ggml does. */
public final class Quantizer {
    private Quantizer() {
    }

    /** Whether {@link #quantize} supports {@code dtype}. */
    public static boolean canQuantize(DType dtype) {
        return dtype == DType.Q8_0 || dtype == DType.Q4_0;
    }

    /**
     * Encodes {@code count} values (a whole number of blocks) from {@code src[srcOffset ..]} into {@code dst}
     * at {@code byteOffset}, which needs {@code dtype.byteSize(count)} bytes.
     */
    public static void quantize(DType dtype, float[] src, int srcOffset, MemorySegment dst, long byteOffset, int count) {
        if (!(BlockCodec.of(dtype) instanceof BlockQuantizer quantizer)) {
            throw new IllegalArgumentException("cannot quantize to " + dtype + " (supported: Q8_0, Q4_0)");
        }
        long bytes = Dequantizer.checkedBytes(dtype, count);
        Objects.checkFromIndexSize(srcOffset, count, src.length);
        Dequantizer.checkRange(dst, byteOffset, bytes, dtype, count);
        quantizer.quantize(src, srcOffset, dst, byteOffset, count);
    }
}
