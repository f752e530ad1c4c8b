package dev.infer4j.kernels;

/**
 * Rotary position embedding parameters.
 *
 * @param headDim     dimension of one head
 * @param rotaryDim   leading dimensions of each head that are rotated (usually {@code headDim})
 * @param theta       frequency base (10000 for Llama 2, 500000 for Llama 3)
 * @param neox        {@code true} rotates pairs {@code (i, i + rotaryDim/2)} (NeoX/GPT-J "rotate half", Qwen2, Phi-3);
 *                    {@code false} rotates adjacent pairs {@code (2i, 2i+1)} (original Llama as stored in GGUF)
 * @param freqFactors optional F32 tensor of {@code rotaryDim/2} divisors of each frequency (Llama 3 {@code rope_freqs}), or null
 * @param positionScale multiplies positions before rotating (linear RoPE scaling: 1 / factor; 1 for none)
 */
public record RopeSpec(int headDim, int rotaryDim, float theta, boolean neox, Tensor freqFactors, float positionScale) {
    public RopeSpec {
        if (headDim <= 0 || rotaryDim <= 0 || rotaryDim > headDim || rotaryDim % 2 != 0) {
            throw new IllegalArgumentException("invalid RoPE dims: headDim " + headDim + ", rotaryDim " + rotaryDim);
        }
        if (!(theta > 0)) {
            throw new IllegalArgumentException("RoPE theta must be positive, got " + theta);
        }
        if (freqFactors != null && freqFactors.elementCount() != rotaryDim / 2) {
            throw new IllegalArgumentException("RoPE frequency factors need " + rotaryDim / 2 + " values, got "
                    + freqFactors.elementCount());
        }
    }

    public static RopeSpec of(int headDim, float theta, boolean neox) {
        return new RopeSpec(headDim, headDim, theta, neox, null, 1f);
    }
}
