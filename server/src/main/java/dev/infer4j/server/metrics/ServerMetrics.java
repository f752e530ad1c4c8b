package dev.infer4j.server.metrics;

import dev.infer4j.engine.schedule.BatchListener;
import dev.infer4j.server.model.ServedEmbeddingModel;
import dev.infer4j.server.model.ServedModels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the server reports on {@code /metrics}: HTTP traffic, and per embedding model its queue and batches. */
public final class ServerMetrics {
    private static final double[] LATENCY_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
        5, 10, 30};
    private static final double[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
    private static final double[] BATCH_TOKENS = {16, 64, 256, 1024, 4096, 16384, 65536};

    private final MetricsRegistry registry = new MetricsRegistry();
    private final Counter requests = registry.counter("infer4j_http_requests_total",
            "HTTP requests answered, by route, method and status.", "route", "method", "status");
    private final Histogram requestSeconds = registry.histogram("infer4j_http_request_duration_seconds",
            "Time from receiving a request to finishing its response, by route.", LATENCY_SECONDS, "route");
    private final Histogram batchInputs = registry.histogram("infer4j_embedding_batch_size",
            "Inputs (texts) per embedding model call.", BATCH_SIZES, "model");
    private final Histogram batchRequests = registry.histogram("infer4j_embedding_batch_requests",
            "Requests merged into one embedding model call.", BATCH_SIZES, "model");
    private final Histogram batchTokens = registry.histogram("infer4j_embedding_batch_tokens",
            "Tokens per embedding model call.", BATCH_TOKENS, "model");
    private final Histogram batchSeconds = registry.histogram("infer4j_embedding_batch_duration_seconds",
            "Time one embedding model call takes.", LATENCY_SECONDS, "model");
    private final Histogram queueSeconds = registry.histogram("infer4j_embedding_queue_time_seconds",
            "Time an embedding request waits in the queue before its model call starts.", LATENCY_SECONDS, "model");
    private final Counter embeddedInputs = registry.counter("infer4j_embedding_inputs_total",
            "Inputs embedded.", "model");
    private final Counter embeddedTokens = registry.counter("infer4j_embedding_tokens_total",
            "Tokens embedded (after truncation, special tokens included).", "model");

    /** Adds the gauges that read the state of {@code models} (queue lengths, readiness); called once. */
    public void watch(ServedModels models) {
        registry.gauge("infer4j_embedding_queue_length", "Embedding requests waiting for the model.",
                List.of("model"), () -> {
                    Map<List<String>, Double> samples = new LinkedHashMap<>();
                    for (ServedEmbeddingModel m : models.embeddingModels()) {
                        samples.put(List.of(m.id()), (double) m.queueLength());
                    }
                    return samples;
                });
        registry.gauge("infer4j_ready", "1 when every model is loaded and the server takes requests.",
                () -> models.state() == ServedModels.State.READY ? 1 : 0);
    }

    /** Records one answered HTTP request. */
    public void requestDone(String route, String method, int status, double seconds) {
        requests.inc(route, method, Integer.toString(status));
        requestSeconds.observe(seconds, route);
    }

    /** The batch observer of one embedding model. */
    public BatchListener embeddingBatches(String model) {
        return new BatchListener() {
            @Override
            public void dequeued(long waitNanos) {
                queueSeconds.observe(waitNanos / 1e9, model);
            }

            @Override
            public void batchRan(int requestCount, int inputs, int tokens, long runNanos) {
                batchRequests.observe(requestCount, model);
                batchInputs.observe(inputs, model);
                batchTokens.observe(tokens, model);
                batchSeconds.observe(runNanos / 1e9, model);
                embeddedInputs.add(inputs, model);
                embeddedTokens.add(tokens, model);
            }
        };
    }

    public MetricsRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }
}
