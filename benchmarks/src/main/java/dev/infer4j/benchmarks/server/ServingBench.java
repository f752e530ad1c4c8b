package dev.infer4j.benchmarks.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infer4j.engine.schedule.BatchLimits;
import dev.infer4j.server.InferenceServer;
import dev.infer4j.server.ServerConfig;
import dev.infer4j.server.metrics.ServerMetrics;
import dev.infer4j.server.model.GeneratorSettings;
import dev.infer4j.server.model.GgufGeneratorLoader;
import dev.infer4j.server.model.ServedGenerator;
import dev.infer4j.server.model.ServedGenerators;
import dev.infer4j.server.model.ServedModels;
import dev.infer4j.benchmarks.HarnessOptions;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Serving speed of text generation: aggregate decode tokens/s of 1, 4, 8 … concurrent streaming clients against
 * the real HTTP server (continuous batching: one forward pass per step over every running sequence, so the
 * weights are read once for all of them), beside {@code llama-bench}'s single-stream generation speed on the same
 * file in the same run. Reports time to first token and inter-token latency (p50, p99) as the clients see them.
 *
 * <pre>
 * benchmarks/serving-bench.sh                      # or:
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:MaxDirectMemorySize=64g \
 *      -cp benchmarks/target/benchmarks.jar dev.infer4j.benchmarks.server.ServingBench \
 *      --model /tmp/infer4j-shapes/tinyllama-shape-Q4_0.gguf [--threads 2] [--streams 1,4,8] [--tokens 64]
 *      [--rounds 2] [--kit ../shared/llama.cpp]
 * </pre>
 */
public final class ServingBench {
    private static final String PROMPT = "Once upon a time, in a small village by the sea, there lived";

    /** One concurrency level in one round. */
    private record Level(double aggregateDecode, double wallTokensPerSecond, long[] ttft, long[] itl) {
    }

    private ServingBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = HarnessOptions.parse(args);
        Path model = Path.of(o.getOrDefault("model", "/tmp/infer4j-shapes/tinyllama-shape-Q4_0.gguf"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        int[] levels = Arrays.stream(o.getOrDefault("streams", "1,4,8").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        int tokens = Integer.parseInt(o.getOrDefault("tokens", "64"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "2"));
        Path kit = Path.of(o.getOrDefault("kit", "../shared/llama.cpp"));
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("missing " + model + " (make it with " + kit
                    + "/make-shape-models.sh /tmp/infer4j-shapes tinyllama)");
        }
        Path llamaBench = kit.resolve("bin/llama-bench");
        if (!Files.isExecutable(llamaBench)) {
            throw new IllegalArgumentException("llama-bench not found at " + llamaBench + " (use --kit)");
        }
        int parallel = Arrays.stream(levels).max().orElse(1);

        ServerMetrics metrics = new ServerMetrics();
        GeneratorSettings settings = new GeneratorSettings(parallel, 256, 0, 64, 128, Duration.ofMinutes(30), null);
        long loadStart = System.nanoTime();
        ServedGenerator generator = new GgufGeneratorLoader(settings, id -> null).load(model.toString(), threads);
        System.err.printf(Locale.ROOT, "loaded %s in %.1f s%n", model.getFileName(), (System.nanoTime() - loadStart) / 1e9);
        ServerConfig config = new ServerConfig(ServerConfig.DEFAULT_HOST, 0, ServerConfig.DEFAULT_MAX_BODY_BYTES,
                BatchLimits.DEFAULT, Duration.ofMinutes(30), Duration.ofSeconds(5), List.of(), List.of(), false);
        InferenceServer server = new InferenceServer(config,
                ServedModels.of(List.of(), BatchLimits.DEFAULT, metrics::embeddingBatches),
                new ServedGenerators(List.of(generator)), metrics).start();
        String url = server.url();

        Map<Integer, List<Level>> results = new LinkedHashMap<>();
        List<Double> llamaTg = new ArrayList<>();
        try {
            // warm-up: every level twice at full length, so the JIT has compiled the GEMV (1 row), small-batch and
            // GEMM kernels before anything is timed (8 tokens per level left the first round's single stream at
            // 60 % of the second's); then wait for the compiler threads, which would otherwise share the two cores
            // with the first llama-bench run
            for (int pass = 0; pass < 2; pass++) {
                for (int streams : levels) {
                    run(url, streams, tokens);
                }
            }
            awaitCompilerIdle();
            for (int round = 1; round <= rounds; round++) {
                double tg = llamaBenchTg(llamaBench, model, threads, tokens);
                llamaTg.add(tg);
                System.err.printf(Locale.ROOT, "round %d llama-bench tg%d %.2f t/s%n", round, tokens, tg);
                for (int streams : levels) {
                    Level level = run(url, streams, tokens);
                    results.computeIfAbsent(streams, k -> new ArrayList<>()).add(level);
                    System.err.printf(Locale.ROOT, "round %d %d streams: aggregate decode %.2f t/s, TTFT p50 %.0f ms%n",
                            round, streams, level.aggregateDecode(), percentile(level.ttft(), 50) / 1e6);
                }
            }
        } finally {
            server.shutdown(Duration.ofSeconds(5));
        }

        double llama = median(llamaTg.stream().mapToDouble(Double::doubleValue).toArray());
        double single = median(results.get(levels[0]).stream().mapToDouble(Level::aggregateDecode).toArray());
        System.out.printf(Locale.ROOT, "%n%s, %d threads, %d tokens per stream, prompt %d chars, %d rounds (medians)%n%n",
                model.getFileName(), threads, tokens, PROMPT.length(), rounds);
        System.out.printf(Locale.ROOT, "llama-bench single-stream tg%d: %.2f tokens/s%n%n", tokens, llama);
        System.out.println("| streams | aggregate decode t/s | x %d stream | x llama-bench tg | wall t/s (with prefill) "
                .formatted(levels[0]) + "| TTFT p50 / p99 ms | ITL p50 / p99 ms |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (int streams : levels) {
            List<Level> runs = results.get(streams);
            double agg = median(runs.stream().mapToDouble(Level::aggregateDecode).toArray());
            double wall = median(runs.stream().mapToDouble(Level::wallTokensPerSecond).toArray());
            long[] ttft = runs.stream().flatMapToLong(l -> Arrays.stream(l.ttft())).toArray();
            long[] itl = runs.stream().flatMapToLong(l -> Arrays.stream(l.itl())).toArray();
            System.out.printf(Locale.ROOT, "| %d | %.2f | **%.2f** | %.2f | %.2f | %.0f / %.0f | %.1f / %.1f |%n", streams,
                    agg, agg / single, agg / llama, wall, percentile(ttft, 50) / 1e6, percentile(ttft, 99) / 1e6,
                    percentile(itl, 50) / 1e6, percentile(itl, 99) / 1e6);
        }
    }

    /** Returns once the JIT compiler has done no work for a second (at most 30 s). */
    private static void awaitCompilerIdle() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            Thread.sleep(5_000);
            return;
        }
        long last = jit.getTotalCompilationTime();
        for (int i = 0; i < 30; i++) {
            Thread.sleep(1_000);
            long now = jit.getTotalCompilationTime();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    /** {@code streams} clients start together, each streaming {@code tokens} tokens. */
    private static Level run(String url, int streams, int tokens) throws Exception {
        List<StreamingClient.Stream> done = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StreamingClient.Stream>> futures = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                futures.add(clients.submit(() -> StreamingClient.complete(url, PROMPT, tokens)));
            }
            for (Future<StreamingClient.Stream> f : futures) {
                done.add(f.get());
            }
        }
        long end = 0;
        double aggregate = 0;
        int total = 0;
        long[] ttft = new long[streams];
        List<Long> gaps = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            StreamingClient.Stream s = done.get(i);
            aggregate += s.decodeTokensPerSecond();
            total += s.tokens();
            end = Math.max(end, s.endNanos());
            ttft[i] = s.ttftNanos();
            for (int c = 1; c < s.chunks(); c++) {
                gaps.add(s.chunkNanos()[c] - s.chunkNanos()[c - 1]);
            }
        }
        long[] itl = gaps.stream().mapToLong(Long::longValue).toArray();
        return new Level(aggregate, total / ((end - start) / 1e9), ttft, itl);
    }

    private static double llamaBenchTg(Path bench, Path model, int threads, int tokens)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(bench.toString(), "-m", model.toString(), "-t", String.valueOf(threads),
                "-p", "0", "-n", String.valueOf(tokens), "-r", "3", "-o", "json")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("llama-bench failed: " + out);
        }
        for (JsonNode t : new ObjectMapper().readTree(out)) {
            if (t.get("n_gen").asInt() > 0) {
                return t.get("avg_ts").asDouble();
            }
        }
        throw new IOException("no generation test in llama-bench output: " + out);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Nearest-rank percentile. */
    static double percentile(long[] v, double p) {
        long[] s = v.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }
}
