package dev.infer4j.server.cli;

import dev.infer4j.engine.embed.EmbeddingModel;

/** Where the command line gets its models from: the engine's public API. */
final class EngineModels {
    private EngineModels() {
    }

    static EmbeddingModel embeddingModel(String nameOrPath, int threads) {
        // TODO(server): Infer4j.embeddingModel(nameOrPath, threads) once the encoders work lands on main
        throw new IllegalStateException("this build has no embedding model implementation yet (model '"
                + nameOrPath + "', " + threads + " threads)");
    }
}
