package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** IEEE 754 binary16 ("half"), little-endian; subnormals, infinities and NaN decode exactly. */
public final class F16Codec implements BlockCodec {
    static final F16Codec INSTANCE = new F16Codec();
    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED;

    private F16Codec() {
    }

    @Override
    public DType dtype() {
        return DType.F16;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = Float.float16ToFloat(src.get(HALF, byteOffset + 2L * i));
        }
    }
}
