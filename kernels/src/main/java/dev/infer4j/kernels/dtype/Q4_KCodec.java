package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml {@code Q4_K}: super-blocks of 256 values in 144 bytes: {@code d:f16, dmin:f16, scales[12], qs[128]}.
 * The super-block has 8 sub-blocks of 32 values, each with a 6-bit scale {@code sc} and 6-bit min {@code m}
 * packed into {@code scales}; value = {@code d * sc * q - dmin * m}. The quants of sub-blocks {@code 2i} and
 * {@code 2i + 1} share the 32 bytes {@code qs[32i ..]}: low nibbles for the first, high nibbles for the second.
 */
public final class Q4_KCodec implements BlockCodec {
    static final Q4_KCodec INSTANCE = new Q4_KCodec();

    public static final int BLOCK = 256;
    public static final int BLOCK_BYTES = 144;
    /** Byte offsets inside a block. */
    public static final int D = 0, DMIN = 2, SCALES = 4, QS = 16;
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Q4_KCodec() {
    }

    @Override
    public DType dtype() {
        return DType.Q4_K;
    }

    /** The 6-bit scale of sub-block {@code j} (0..7) of the block at {@code block}. */
    public static int scale(MemorySegment src, long block, int j) {
        long s = block + SCALES;
        if (j < 4) {
            return u8(src, s + j) & 63;
        }
        return (u8(src, s + j + 4) & 0xF) | ((u8(src, s + j - 4) >> 6) << 4);
    }

    /** The 6-bit min of sub-block {@code j} (0..7) of the block at {@code block}. */
    public static int min(MemorySegment src, long block, int j) {
        long s = block + SCALES;
        if (j < 4) {
            return u8(src, s + j + 4) & 63;
        }
        return (u8(src, s + j + 4) >> 4) | ((u8(src, s + j) >> 6) << 4);
    }

    private static int u8(MemorySegment src, long at) {
        return src.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            long block = byteOffset + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(src.get(HALF, block + D));
            float dmin = Float.float16ToFloat(src.get(HALF, block + DMIN));
            int out = dstOffset + b * BLOCK;
            for (int pair = 0; pair < 4; pair++) {
                float d1 = d * scale(src, block, 2 * pair);
                float m1 = dmin * min(src, block, 2 * pair);
                float d2 = d * scale(src, block, 2 * pair + 1);
                float m2 = dmin * min(src, block, 2 * pair + 1);
                long qs = block + QS + 32L * pair;
                for (int l = 0; l < 32; l++) {
                    int q = u8(src, qs + l);
                    dst[out + 64 * pair + l] = d1 * (q & 0xF) - m1;
                    dst[out + 64 * pair + 32 + l] = d2 * (q >> 4) - m2;
                }
            }
        }
    }
}
