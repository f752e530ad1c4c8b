package dev.infer4j.engine.generate;

import java.util.Map;

/**
 * How the next token is chosen from the logits. The steps run in llama.cpp's default order: logit bias,
 * repetition/presence/frequency penalties over the last {@code penaltyLastN} tokens, then — unless the
 * temperature is 0 (greedy: the highest logit, ties to the lower id) — top-k, top-p, min-p, temperature,
 * and a draw from the remaining distribution with a generator seeded by {@code seed}.
 *
 * @param temperature      0 for greedy decoding; otherwise divides the logits (higher = more random)
 * @param topK             keep the {@code k} most likely tokens; 0 keeps all
 * @param topP             keep the smallest set of most likely tokens whose probability reaches {@code p}; 1 keeps all
 * @param minP             drop tokens less likely than {@code minP} times the most likely one; 0 keeps all
 * @param repeatPenalty    divides positive (multiplies negative) logits of recent tokens; 1 for none
 * @param presencePenalty  subtracted from the logit of every recent token; 0 for none
 * @param frequencyPenalty subtracted once per occurrence of a recent token; 0 for none
 * @param penaltyLastN     how many recent tokens (prompt included) the penalties look at
 * @param logitBias        added to the logits of the given token ids ({@code -Infinity} bans a token)
 * @param seed             seed of the random draw: the same seed, prompt and options give the same text
 */
public record SamplingOptions(float temperature, int topK, float topP, float minP, float repeatPenalty,
                              float presencePenalty, float frequencyPenalty, int penaltyLastN,
                              Map<Integer, Float> logitBias, long seed) {

    public SamplingOptions {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must lie in (0, 1] (1 = off), got " + topP);
        }
        if (!(minP >= 0 && minP < 1)) {
            throw new IllegalArgumentException("min-p must lie in [0, 1) (0 = off), got " + minP);
        }
        if (!(repeatPenalty > 0) || Float.isInfinite(repeatPenalty)) {
            throw new IllegalArgumentException("repeat penalty must be a finite number > 0 (1 = off), got " + repeatPenalty);
        }
        if (!Float.isFinite(presencePenalty) || !Float.isFinite(frequencyPenalty)) {
            throw new IllegalArgumentException("presence and frequency penalties must be finite");
        }
        if (penaltyLastN < 0) {
            throw new IllegalArgumentException("penalty window must be >= 0, got " + penaltyLastN);
        }
        logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
        for (Map.Entry<Integer, Float> e : logitBias.entrySet()) {
            if (e.getKey() < 0 || Float.isNaN(e.getValue()) || e.getValue() == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("logit bias " + e.getKey() + " -> " + e.getValue()
                        + ": ids must be >= 0 and biases finite or -Infinity");
            }
        }
    }

    /** Greedy decoding: always the most likely token, no penalties. */
    public static SamplingOptions greedy() {
        return new SamplingOptions(0f, 0, 1f, 0f, 1f, 0f, 0f, 64, Map.of(), 0L);
    }

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no penalties. */
    public static SamplingOptions defaults(long seed) {
        return new SamplingOptions(0.8f, 40, 0.95f, 0.05f, 1f, 0f, 0f, 64, Map.of(), seed);
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }

    public SamplingOptions withTemperature(float t) {
        return new SamplingOptions(t, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, logitBias, seed);
    }

    public SamplingOptions withTopK(int k) {
        return new SamplingOptions(temperature, k, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, logitBias, seed);
    }

    public SamplingOptions withTopP(float p) {
        return new SamplingOptions(temperature, topK, p, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, logitBias, seed);
    }

    public SamplingOptions withMinP(float p) {
        return new SamplingOptions(temperature, topK, topP, p, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, logitBias, seed);
    }

    public SamplingOptions withPenalties(float repeat, float presence, float frequency, int lastN) {
        return new SamplingOptions(temperature, topK, topP, minP, repeat, presence, frequency, lastN, logitBias, seed);
    }

    public SamplingOptions withLogitBias(Map<Integer, Float> bias) {
        return new SamplingOptions(temperature, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, bias, seed);
    }

    public SamplingOptions withSeed(long s) {
        return new SamplingOptions(temperature, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, logitBias, s);
    }
}
