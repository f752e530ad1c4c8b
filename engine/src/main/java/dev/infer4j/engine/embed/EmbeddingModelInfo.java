package dev.infer4j.engine.embed;

/**
 * @param name       registry name or path the model was loaded from
 * @param dimensions length of the output vectors
 * @param maxTokens  longest input the model takes, special tokens included
 * @param pooling    how token states become one vector
 * @param normalize  whether vectors are L2-normalised unless a request says otherwise
 */
public record EmbeddingModelInfo(String name, int dimensions, int maxTokens, Pooling pooling, boolean normalize) {
}
