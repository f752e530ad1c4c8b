package dev.infer4j.server;

import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.engine.schedule.BatchLimits;
import dev.infer4j.server.metrics.ServerMetrics;
import dev.infer4j.server.model.ServedModels;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** A real server on a free loopback port over given models, and a client for it. */
record TestServer(InferenceServer server, Http http) implements AutoCloseable {

    static ServerConfig config() {
        return ServerConfig.defaults().withPort(0);
    }

    static TestServer start(EmbeddingModel model) {
        return start(model, c -> c);
    }

    static TestServer start(EmbeddingModel model, UnaryOperator<ServerConfig> tweak) {
        ServerConfig config = tweak.apply(config());
        ServerMetrics metrics = new ServerMetrics();
        ServedModels models = ServedModels.of(List.of(model), config.batchLimits(), metrics::embeddingBatches);
        return start(config, models, metrics);
    }

    static TestServer start(ServerConfig config, ServedModels models, ServerMetrics metrics) {
        InferenceServer server = new InferenceServer(config, models, metrics).start();
        return new TestServer(server, new Http(server.url()));
    }

    static ServerConfig withLimits(ServerConfig c, BatchLimits limits) {
        return new ServerConfig(c.host(), c.port(), c.maxBodyBytes(), limits, c.requestTimeout(), c.shutdownGrace(),
                c.apiKeys(), c.corsOrigins(), c.accessLog());
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(5));
    }
}
