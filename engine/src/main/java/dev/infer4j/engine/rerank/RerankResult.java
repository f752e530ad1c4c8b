package dev.infer4j.engine.rerank;

/**
 * @param scores      relevance of each document, in input order
 * @param ranking     document indices from most to least relevant (ties keep input order)
 * @param tokenCounts tokens each (query, document) pair used after truncation
 * @param truncated   whether each pair was cut to the model's maximum length
 */
public record RerankResult(float[] scores, int[] ranking, int[] tokenCounts, boolean[] truncated) {
}
