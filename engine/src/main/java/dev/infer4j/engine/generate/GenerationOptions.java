package dev.infer4j.engine.generate;

import java.util.List;

/**
 * Limits and sampling of one generation.
 *
 * @param maxTokens   most tokens to generate (the context size also limits)
 * @param stop        strings that end generation; they are not part of the output, even when split over tokens
 * @param sampling    how each token is chosen
 * @param ignoreEos   keep going after end-of-sequence / end-of-turn tokens (benchmarks)
 */
public record GenerationOptions(int maxTokens, List<String> stop, SamplingOptions sampling, boolean ignoreEos) {
    public GenerationOptions {
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("max tokens must be positive, got " + maxTokens);
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
        if (sampling == null) {
            throw new IllegalArgumentException("sampling options are required (SamplingOptions.greedy() for argmax)");
        }
    }

    /** Greedy decoding of up to {@code maxTokens} tokens, stopping at end of sequence. */
    public static GenerationOptions greedy(int maxTokens) {
        return new GenerationOptions(maxTokens, List.of(), SamplingOptions.greedy(), false);
    }

    public GenerationOptions withStop(List<String> stops) {
        return new GenerationOptions(maxTokens, stops, sampling, ignoreEos);
    }

    public GenerationOptions withSampling(SamplingOptions s) {
        return new GenerationOptions(maxTokens, stop, s, ignoreEos);
    }

    public GenerationOptions withIgnoreEos(boolean ignore) {
        return new GenerationOptions(maxTokens, stop, sampling, ignore);
    }
}
