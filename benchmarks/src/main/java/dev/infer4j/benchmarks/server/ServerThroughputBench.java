package dev.infer4j.benchmarks.server;

import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.engine.schedule.BatchLimits;
import dev.infer4j.server.InferenceServer;
import dev.infer4j.server.ServerConfig;
import dev.infer4j.server.metrics.ServerMetrics;
import dev.infer4j.server.model.ServedModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server path against the in-process pipeline, in the same run: requests/s of {@code clients} concurrent HTTP
 * clients that each send one sentence per request (the server batches them dynamically), against sentences/s of
 * {@code model.embed} on the same sentences, {@code clients} per call (the batch the server can form at best).
 * Rounds alternate between the two so that both see the same machine noise; the medians are compared.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -cp benchmarks/target/benchmarks.jar dev.infer4j.benchmarks.server.ServerThroughputBench \
 *      [--model all-minilm-l6-v2] [--threads 2] [--clients 16] [--seconds 10] [--rounds 3] [--client raw|jdk]
 *      [--batch-wait-ms 5]
 * </pre>
 */
public final class ServerThroughputBench {

    /** Sixteen everyday sentences of 8 to 16 words, as a search or RAG application sends them. */
    static final List<String> SENTENCES = List.of(
            "The quick brown fox jumps over the lazy dog near the river bank.",
            "How do I reset my password if I no longer have access to my email?",
            "Quarterly revenue grew by twelve percent, driven by strong demand in Europe.",
            "She planted tomatoes, basil and peppers in the small garden behind the house.",
            "What is the difference between a virus and a bacterium?",
            "The train to Amsterdam leaves from platform four at half past nine.",
            "Our new laptop has a brighter screen and a battery that lasts all day.",
            "Please summarize the main arguments of the article in three sentences.",
            "The museum opens an exhibition of early photography next month.",
            "Add two cups of flour and stir until the dough is smooth.",
            "Researchers found that regular exercise improves sleep quality in older adults.",
            "Which programming language should I learn first for data analysis?",
            "The committee postponed its decision until more information is available.",
            "A heavy storm is expected to reach the coast by Thursday evening.",
            "He returned the book to the library two weeks after the due date.",
            "Solar panels on the roof now cover most of the building's electricity use.");

    private ServerThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        String modelName = option(args, "--model", "all-minilm-l6-v2");
        int threads = Integer.parseInt(option(args, "--threads", "2"));
        int clients = Integer.parseInt(option(args, "--clients", "16"));
        int seconds = Integer.parseInt(option(args, "--seconds", "10"));
        int rounds = Integer.parseInt(option(args, "--rounds", "3"));
        String clientKind = option(args, "--client", "raw");
        Duration batchWait = Duration.ofMillis(Long.parseLong(option(args, "--batch-wait-ms",
                Long.toString(BatchLimits.DEFAULT.maxBatchWait().toMillis()))));
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            batch.add(SENTENCES.get(i % SENTENCES.size()));
        }

        EmbeddingModel model = Infer4j.embeddingModel(modelName, threads);
        ServerMetrics metrics = new ServerMetrics();
        ServerConfig config = new ServerConfig("127.0.0.1", 0, ServerConfig.DEFAULT_MAX_BODY_BYTES,
                new BatchLimits(16_384, clients, 4 * clients, batchWait), Duration.ofMinutes(1), Duration.ofSeconds(5),
                List.of(), List.of(), false);
        ServedModels served = ServedModels.of(List.of(model), config.batchLimits(), metrics::embeddingBatches);
        InferenceServer server = new InferenceServer(config, served, metrics).start();
        System.out.printf(Locale.ROOT, "model %s, %d compute threads, %d clients (%s), batch wait %d ms, %d s per "
                + "measurement, %d rounds, %d cores%n", modelName, threads, clients, clientKind, batchWait.toMillis(),
                seconds, rounds,
                Runtime.getRuntime().availableProcessors());
        try {
            double[] inProcess = new double[rounds];
            double[] overHttp = new double[rounds];
            measureInProcess(model, batch, 2); // warm-up
            runClients(server, batch, 2, clientKind);
            for (int r = 0; r < rounds; r++) {
                inProcess[r] = measureInProcess(model, batch, seconds);
                double before = batchesSoFar(metrics);
                overHttp[r] = runClients(server, batch, seconds, clientKind);
                System.out.printf(Locale.ROOT, "round %d: in-process %.1f sentences/s, server %.1f requests/s "
                        + "(%.2f); batches so far %.0f%n", r + 1, inProcess[r], overHttp[r],
                        overHttp[r] / inProcess[r], batchesSoFar(metrics) - before);
            }
            double a = median(inProcess);
            double b = median(overHttp);
            System.out.printf(Locale.ROOT, "median: in-process %.1f sentences/s (batch %d), server %.1f requests/s "
                    + "-> ratio %.3f; mean server batch %.2f inputs%n", a, clients, b, b / a,
                    meanBatchSize(metrics));
        } finally {
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    private static double measureInProcess(EmbeddingModel model, List<String> batch, int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        long sentences = 0;
        while (System.nanoTime() < end) {
            sentences += model.embed(batch, EmbedOptions.DEFAULT).vectors().length;
        }
        return sentences / ((System.nanoTime() - start) / 1e9);
    }

    /** Closed loop: each client sends its next request as soon as the previous one is answered. */
    private static double runClients(InferenceServer server, List<String> batch, int seconds, String kind)
            throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long[] done = new long[batch.size()];
        Thread[] threads = new Thread[batch.size()];
        long start = System.nanoTime();
        for (int c = 0; c < threads.length; c++) {
            int client = c;
            String body = "{\"input\":\"" + batch.get(client) + "\"}";
            threads[c] = Thread.ofPlatform().start(() -> {
                try (EmbeddingClient http = kind.equals("jdk") ? new JdkEmbeddingClient(server.url())
                        : new RawEmbeddingClient(server.port())) {
                    while (System.nanoTime() < end) {
                        http.post("/v1/embeddings", body);
                        done[client]++;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("client " + client + " failed", e);
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        return Arrays.stream(done).sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static double batchesSoFar(ServerMetrics metrics) {
        return sample(metrics.scrape(), "infer4j_embedding_batch_size_count");
    }

    private static double meanBatchSize(ServerMetrics metrics) {
        String scrape = metrics.scrape();
        return sample(scrape, "infer4j_embedding_batch_size_sum") / sample(scrape, "infer4j_embedding_batch_size_count");
    }

    private static double sample(String scrape, String name) {
        Matcher m = Pattern.compile("^" + name + "\\{[^}]*} (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
