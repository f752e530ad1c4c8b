package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Plain little-endian IEEE 754 binary32. */
public final class F32Codec implements BlockCodec {
    static final F32Codec INSTANCE = new F32Codec();

    private F32Codec() {
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    @Override
    public void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        MemorySegment.copy(src, ValueLayout.JAVA_FLOAT_UNALIGNED, byteOffset, dst, dstOffset, count);
    }
}
