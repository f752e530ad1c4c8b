package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml {@code Q6_K}: super-blocks of 256 values in 210 bytes: {@code ql[128], qh[64], scales[16] (int8), d:f16}.
 * A 6-bit quant is 4 low bits from {@code ql} and 2 high bits from {@code qh}; value = {@code d * scales[i / 16] * (q - 32)}.
 * Each half of the block (128 values) uses 64 bytes of {@code ql} and 32 of {@code qh}; {@link #quant} spells out
 * which bits belong to which value.
 */
public final class Q6_KCodec implements BlockCodec {
    static final Q6_KCodec INSTANCE = new Q6_KCodec();

    public static final int BLOCK = 256;
    public static final int BLOCK_BYTES = 210;
    /** Byte offsets inside a block. */
    public static final int QL = 0, QH = 128, SCALES = 192, D = 208;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Q6_KCodec() {
    }

    @Override
    public DType dtype() {
        return DType.Q6_K;
    }

    /**
     * The unsigned 6-bit quant (0..63) of value {@code i} (0..255) of the block at {@code block}: in half {@code h = i / 128},
     * with {@code l = i % 32} and {@code g = (i % 128) / 32}, the low bits are nibble {@code g / 2} of
     * {@code ql[64h + l + 32 (g % 2)]} and the high bits are bits {@code 2g, 2g+1} of {@code qh[32h + l]}.
     */
    public static int quant(MemorySegment src, long block, int i) {
        int h = i >> 7;
        int l = i & 31;
        int g = (i >> 5) & 3;
        int ql = src.get(ValueLayout.JAVA_BYTE, block + QL + 64L * h + l + 32 * (g & 1)) & 0xFF;
        int qh = src.get(ValueLayout.JAVA_BYTE, block + QH + 32L * h + l) & 0xFF;
        return ((ql >> (4 * (g >> 1))) & 0xF) | (((qh >> (2 * g)) & 3) << 4);
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(src.get(HALF, block + D));
            int out = dstOffset + b * BLOCK;
            for (int group = 0; group < 16; group++) {
                float scale = d * src.get(ValueLayout.JAVA_BYTE, block + SCALES + group);
                for (int i = 16 * group; i < 16 * group + 16; i++) {
                    dst[out + i] = scale * (quant(src, block, i) - 32);
                }
            }
        }
    }
}
