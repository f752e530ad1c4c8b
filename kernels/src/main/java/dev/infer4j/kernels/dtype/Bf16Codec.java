package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** bfloat16: the upper 16 bits of a binary32, little-endian. */
public final class Bf16Codec implements BlockCodec {
    static final Bf16Codec INSTANCE = new Bf16Codec();
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Bf16Codec() {
    }

    @Override
    public DType dtype() {
        return DType.BF16;
    }

    /** The float whose upper half is {@code bits}. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = toFloat(src.get(HALF, byteOffset + 2L * i));
        }
    }
}
