package dev.infer4j.engine.generate;

/**
 * The outcome of one generation.
 *
 * @param text             the generated text (stop string and end token excluded)
 * @param tokens           the generated token ids
 * @param promptTokens     tokens of the prompt
 * @param reusedTokens     prompt tokens whose keys and values were already in the session's cache
 * @param finishReason     why it ended
 * @param promptNanos      time spent processing the prompt (the part not reused)
 * @param generationNanos  time spent generating after the prompt
 */
public record GenerationResult(String text, int[] tokens, int promptTokens, int reusedTokens,
                               FinishReason finishReason, long promptNanos, long generationNanos) {

    /** Prompt tokens processed per second. */
    public double promptTokensPerSecond() {
        return promptNanos == 0 ? 0 : (promptTokens - reusedTokens) * 1e9 / promptNanos;
    }

    /** Generated tokens per second (each generated token after the first needs one decode step). */
    public double generatedTokensPerSecond() {
        return generationNanos == 0 ? 0 : tokens.length * 1e9 / generationNanos;
    }
}
