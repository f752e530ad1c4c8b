package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decodes runs of elements of any {@link DType} to F32.
 * PLACEHOLDER (lead): plain types only; the kernels-matmul work replaces this with per-dtype codecs.
 */
public final class Dequantizer {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Dequantizer() {
    }

    /**
     * Decodes {@code count} elements (a whole number of blocks) starting at byte {@code byteOffset} of
     * {@code src} into {@code dst[dstOffset ..]}.
     */
    public static void dequantize(DType dtype, MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, F32, byteOffset, dst, dstOffset, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Float.float16ToFloat(src.get(I16, byteOffset + 2L * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Float.intBitsToFloat(src.get(I16, byteOffset + 2L * i) << 16);
                }
            }
            default -> throw new UnsupportedOperationException("dequantize " + dtype + " not implemented yet");
        }
    }
}
