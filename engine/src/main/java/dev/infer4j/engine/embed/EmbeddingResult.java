package dev.infer4j.engine.embed;

/**
 * @param vectors     one vector per input, in input order
 * @param tokenCounts tokens each input used after truncation (special tokens included)
 * @param truncated   whether each input was cut to the model's maximum length
 */
public record EmbeddingResult(float[][] vectors, int[] tokenCounts, boolean[] truncated) {
    public int totalTokens() {
        int sum = 0;
        for (int c : tokenCounts) {
            sum += c;
        }
        return sum;
    }
}
