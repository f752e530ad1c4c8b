package dev.infer4j.server.cli;

import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.embed.EmbeddingModel;

/** Where the command line gets its models from: the engine's public API. */
final class EngineModels {
    private EngineModels() {
    }

    static EmbeddingModel embeddingModel(String nameOrPath, int threads) {
        return Infer4j.embeddingModel(nameOrPath, threads);
    }
}
