package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml {@code Q8_0}: blocks of 32 values stored as {@code d:f16} followed by 32 signed bytes
 * {@code q}; value {@code i} is {@code q[i] * d}.
 */
public final class Q8_0Codec implements BlockCodec, BlockQuantizer {
    static final Q8_0Codec INSTANCE = new Q8_0Codec();

    public static final int BLOCK = 32;
    public static final int BLOCK_BYTES = 34;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Q8_0Codec() {
    }

    @Override
    public DType dtype() {
        return DType.Q8_0;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(src.get(HALF, block));
            int out = dstOffset + b * BLOCK;
            for (int i = 0; i < BLOCK; i++) {
                dst[out + i] = src.get(ValueLayout.JAVA_BYTE, block + 2 + i) * d;
            }
        }
    }

    /**
     * ggml's reference quantizer ({@code quantize_row_q8_0_ref}): {@code d = max|x| / 127},
     * {@code q = round(x / d)} with halves rounded away from zero, computed in float32 as ggml does.
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long byteOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            int in = srcOffset + b * BLOCK;
            long block = byteOffset + (long) b * BLOCK_BYTES;
            float amax = 0f;
            for (int i = 0; i < BLOCK; i++) {
                amax = Math.max(amax, Math.abs(src[in + i]));
            }
            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f;
            dst.set(HALF, block, Float.floatToFloat16(d));
            for (int i = 0; i < BLOCK; i++) {
                dst.set(ValueLayout.JAVA_BYTE, block + 2 + i, (byte) roundHalfAwayFromZero(src[in + i] * id));
            }
        }
    }

    /** C's {@code roundf}; unlike {@code Math.round} it rounds -2.5 to -3 and never rounds 0.49999997 up. */
    static int roundHalfAwayFromZero(float v) {
        float a = Math.abs(v);
        float floor = (float) Math.floor(a);
        int r = (int) floor + (a - floor >= 0.5f ? 1 : 0);
        return v < 0 ? -r : r;
    }
}
