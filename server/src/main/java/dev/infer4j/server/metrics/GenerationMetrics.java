package dev.infer4j.server.metrics;

import dev.infer4j.engine.schedule.GenerationSchedulerListener;
import dev.infer4j.server.model.ServedGenerator;
import dev.infer4j.server.model.ServedGenerators;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text generation on {@code /metrics}: per generator model its queue, running sequences, forward-batch sizes,
 * prompt and generated token counters, and time to first token, inter-token, end-to-end and queue-time histograms.
 * Register once per server; {@link #listener} is what each model's scheduler reports to.
 */
public final class GenerationMetrics {
    private static final double[] LATENCY_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
        5, 10, 30, 60};
    private static final double[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64};

    private final Histogram batchSequences;
    private final Histogram batchRows;
    private final Counter promptTokens;
    private final Counter generatedTokens;
    private final Histogram ttft;
    private final Histogram interToken;
    private final Histogram endToEnd;
    private final Histogram queueTime;

    public GenerationMetrics(MetricsRegistry registry) {
        batchSequences = registry.histogram("infer4j_generation_batch_sequences",
                "Sequences in one decoder forward pass (continuous batching).", BATCH_SIZES, "model");
        batchRows = registry.histogram("infer4j_generation_batch_tokens",
                "Token rows in one decoder forward pass (decode rows plus prompt chunks).",
                new double[] {1, 4, 16, 64, 256, 1024}, "model");
        promptTokens = registry.counter("infer4j_prompt_tokens_total", "Prompt tokens of finished requests.", "model");
        generatedTokens = registry.counter("infer4j_generated_tokens_total", "Tokens generated.", "model");
        ttft = registry.histogram("infer4j_time_to_first_token_seconds",
                "Time from submission to a request's first token.", LATENCY_SECONDS, "model");
        interToken = registry.histogram("infer4j_inter_token_latency_seconds",
                "Time between two tokens of one request.", LATENCY_SECONDS, "model");
        endToEnd = registry.histogram("infer4j_generation_e2e_seconds",
                "Time from submission to the end of a generation request.", LATENCY_SECONDS, "model");
        queueTime = registry.histogram("infer4j_generation_queue_time_seconds",
                "Time a generation request waits for a sequence slot.", LATENCY_SECONDS, "model");
    }

    /** Adds the gauges that read the generators' schedulers at scrape time; called once. */
    public static void watch(MetricsRegistry registry, ServedGenerators generators) {
        registry.gauge("infer4j_generation_queue_length", "Generation requests waiting for a sequence slot.",
                List.of("model"), () -> sample(generators, true));
        registry.gauge("infer4j_generation_running_sequences", "Sequences holding a slot (prefilling or decoding).",
                List.of("model"), () -> sample(generators, false));
    }

    private static Map<List<String>, Double> sample(ServedGenerators generators, boolean queued) {
        Map<List<String>, Double> samples = new LinkedHashMap<>();
        for (ServedGenerator g : generators.all()) {
            samples.put(List.of(g.id()), (double) (queued ? g.scheduler().queued() : g.scheduler().running()));
        }
        return samples;
    }

    /** The scheduler listener of one generator model. */
    public GenerationSchedulerListener listener(String model) {
        return new GenerationSchedulerListener() {
            @Override
            public void onStep(int sequences, int rows) {
                batchSequences.observe(sequences, model);
                batchRows.observe(rows, model);
            }

            @Override
            public void onAdmitted(long queueNanos) {
                queueTime.observe(queueNanos / 1e9, model);
            }

            @Override
            public void onFirstToken(long ttftNanos) {
                ttft.observe(ttftNanos / 1e9, model);
            }

            @Override
            public void onInterToken(long nanos) {
                interToken.observe(nanos / 1e9, model);
            }

            @Override
            public void onFinished(int prompt, int generated, long e2eNanos) {
                promptTokens.add(prompt, model);
                generatedTokens.add(generated, model);
                endToEnd.observe(e2eNanos / 1e9, model);
            }
        };
    }
}
