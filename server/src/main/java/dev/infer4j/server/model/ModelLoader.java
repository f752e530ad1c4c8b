package dev.infer4j.server.model;

import dev.infer4j.engine.embed.EmbeddingModel;

/** Loads an embedding model by registry name or path; the server calls it once per {@code --model}. */
@FunctionalInterface
public interface ModelLoader {

    /**
     * @param nameOrPath a built-in model name (e.g. {@code all-minilm-l6-v2}) or a model file or directory
     * @param threads    compute threads the model may use
     */
    EmbeddingModel load(String nameOrPath, int threads) throws Exception;
}
