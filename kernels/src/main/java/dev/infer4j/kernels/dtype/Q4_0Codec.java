package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml {@code Q4_0}: blocks of 32 values stored as {@code d:f16} followed by 16 bytes; byte {@code j}
 * holds value {@code j} in its low nibble and value {@code j + 16} in its high nibble; value = {@code (q - 8) * d}.
 */
public final class Q4_0Codec implements BlockCodec, BlockQuantizer {
    static final Q4_0Codec INSTANCE = new Q4_0Codec();

    public static final int BLOCK = 32;
    public static final int BLOCK_BYTES = 18;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Q4_0Codec() {
    }

    @Override
    public DType dtype() {
        return DType.Q4_0;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(src.get(HALF, block));
            int out = dstOffset + b * BLOCK;
            for (int j = 0; j < BLOCK / 2; j++) {
                int packed = src.get(ValueLayout.JAVA_BYTE, block + 2 + j);
                dst[out + j] = ((packed & 0xF) - 8) * d;
                dst[out + j + 16] = (((packed >> 4) & 0xF) - 8) * d;
            }
        }
    }

    /**
     * ggml's reference quantizer ({@code quantize_row_q4_0_ref}): the value of largest magnitude (the first
     * one on ties) maps to -8, {@code d = max / -8}, {@code q = min(15, trunc(x / d + 8.5))}. The product and
     * sum are taken in double and rounded once to float, as gguf-py does to reproduce ggml's FMA-contracted
     * C build bit for bit.
     */
    @Override
    public void quantize(float[] src, int srcOffset, MemorySegment dst, long byteOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            int in = srcOffset + b * BLOCK;
            long block = byteOffset + (long) b * BLOCK_BYTES;
            // like numpy's argmax (gguf-py wrote the reference files): the first index of largest magnitude, so an
            // all-zero block keeps the sign of its first element
            float max = src[in];
            float amax = Math.abs(max);
            for (int i = 1; i < BLOCK; i++) {
                float v = src[in + i];
                if (Math.abs(v) > amax) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d != 0f ? 1f / d : 0f;
            dst.set(HALF, block, Float.floatToFloat16(d));
            for (int j = 0; j < BLOCK / 2; j++) {
                int lo = nibble(src[in + j], id);
                int hi = nibble(src[in + j + 16], id);
                dst.set(ValueLayout.JAVA_BYTE, block + 2 + j, (byte) (lo | hi << 4));
            }
        }
    }

    private static int nibble(float x, float id) {
        float shifted = (float) ((double) x * id + 8.5);
        return Math.min(15, Math.max(0, (int) shifted));
    }
}
