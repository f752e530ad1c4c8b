package dev.infer4j.engine.rerank;

/**
 * @param rawScores return the logits instead of sigmoid probabilities
 * @param truncate  cut (query, document) pairs longer than the model's maximum, the longer side first;
 *                  when false such a pair is an error
 */
public record RerankOptions(boolean rawScores, boolean truncate) {
    public static final RerankOptions DEFAULT = new RerankOptions(false, true);
}
