package dev.infer4j.kernels.dtype;

import java.lang.foreign.MemorySegment;

/** A codec that can also encode F32 values, bit-exactly as ggml's reference quantizer does. */
public sealed interface BlockQuantizer permits Q8_0Codec, Q4_0Codec {

    /** Encodes {@code count} values (whole blocks) from {@code src[srcOffset ..]} into {@code dst} at {@code byteOffset}. */
    void quantize(float[] src, int srcOffset, MemorySegment dst, long byteOffset, int count);
}
