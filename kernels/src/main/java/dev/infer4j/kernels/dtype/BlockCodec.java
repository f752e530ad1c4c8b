package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;

/**
 * Decodes one {@link DType}'s storage format, block by block, exactly as ggml lays it out, so GGUF
 * tensor bytes are read in place. Implementations are stateless singletons obtained with {@link #of}.
 * Arguments are checked by the public entry points ({@link Dequantizer}, {@link Quantizer}); the codecs
 * themselves assume whole blocks and in-range offsets.
 */
public sealed interface BlockCodec permits F32Codec, F16Codec, Bf16Codec, Q8_0Codec, Q4_0Codec, Q4_KCodec, Q6_KCodec {

    DType dtype();

    /** Decodes {@code count} elements (whole blocks) from {@code src} at {@code byteOffset} into {@code dst[dstOffset ..]}. */
    void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count);

    /** The codec of {@code dtype}; throws naming the type if it has none (I32 is not a floating-point format). */
    static BlockCodec of(DType dtype) {
        return switch (dtype) {
            case F32 -> F32Codec.INSTANCE;
            case F16 -> F16Codec.INSTANCE;
            case BF16 -> Bf16Codec.INSTANCE;
            case Q8_0 -> Q8_0Codec.INSTANCE;
            case Q4_0 -> Q4_0Codec.INSTANCE;
            case Q4_K -> Q4_KCodec.INSTANCE;
            case Q6_K -> Q6_KCodec.INSTANCE;
            case I32 -> throw new IllegalArgumentException("I32 holds integers, not floating-point values; it has no codec");
        };
    }
}
