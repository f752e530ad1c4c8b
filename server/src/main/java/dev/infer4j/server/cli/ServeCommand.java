package dev.infer4j.server.cli;

import dev.infer4j.engine.schedule.BatchLimits;
import dev.infer4j.server.InferenceServer;
import dev.infer4j.server.ServerConfig;
import dev.infer4j.engine.generate.ChatTemplate;
import dev.infer4j.engine.generate.UnsupportedChatTemplateException;
import dev.infer4j.server.metrics.GenerationMetrics;
import dev.infer4j.server.metrics.ServerMetrics;
import dev.infer4j.server.model.GeneratorLoader;
import dev.infer4j.server.model.GeneratorSettings;
import dev.infer4j.server.model.GgufGeneratorLoader;
import dev.infer4j.server.model.ServedGenerators;
import dev.infer4j.server.model.ModelLoader;
import dev.infer4j.server.model.ServedModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code infer4j serve}: the HTTP server, until SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves models over HTTP: text generation (a decoder GGUF file: OpenAI /v1/completions and "
                + "/v1/chat/completions with streaming, /tokenize, /detokenize) and embeddings (OpenAI /v1/embeddings, "
                + "Hugging Face TEI /embed and /tokenize); /v1/models, /health and Prometheus /metrics.",
            "Binds at once (/health answers 503 while the models load) and logs the URL when ready. "
                + "SIGTERM drains the requests in flight, then exits 0."})
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME|PATH", defaultValue = "all-minilm-l6-v2",
            description = {"Built-in embedding model name, embedding model file/directory, or a decoder GGUF file "
                + "(Llama family) to generate text with; repeat to serve several.",
                "Default: ${DEFAULT-VALUE} (embedded in the jar)."})
    List<String> models = new ArrayList<>();

    @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Interface to listen on (default: ${DEFAULT-VALUE}, loopback only; 0.0.0.0 for all).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks one).")
    int port;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads per model (default: all cores).")
    Integer threads;

    @Option(names = {"--parallel", "-np"}, paramLabel = "N", defaultValue = "4",
            description = "Text generation: sequences decoded together, each with its own KV-cache slot "
                    + "(default: ${DEFAULT-VALUE}; at most " + GeneratorSettings.MAX_PARALLEL + ").")
    int parallel;

    @Option(names = {"--ctx-size", "-c"}, paramLabel = "N", defaultValue = "0",
            description = "Text generation: positions per sequence, prompt plus answer (default: the model's "
                    + "training context, at most 4096, and at most what --kv-cache-size holds).")
    int contextSize;

    @Option(names = "--kv-cache-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Text generation: memory for the KV cache of all --parallel sequences, allocated at load "
                    + "(e.g. 512MB). The context shrinks to fit; an explicit --ctx-size that does not fit fails the "
                    + "load. Default: no budget (parallel x context).")
    Long kvCacheSize;

    @Option(names = "--chat-template", paramLabel = "NAME",
            description = "Text generation: chat format of /v1/chat/completions instead of the model's own "
                    + "(chatml, llama2, llama3, mistral, phi3).")
    String chatTemplate;

    @Option(names = "--max-batch-tokens", paramLabel = "N", defaultValue = "16384",
            description = "Token budget of one batched model call (default: ${DEFAULT-VALUE}).")
    int maxBatchTokens;

    @Option(names = "--max-batch-requests", paramLabel = "N", defaultValue = "64",
            description = "Most requests merged into one model call (default: ${DEFAULT-VALUE}).")
    int maxBatchRequests;

    @Option(names = "--max-queued-requests", paramLabel = "N", defaultValue = "512",
            description = "Requests that may wait per model (for a generator: beyond its --parallel running ones); "
                    + "more get 429 (default: ${DEFAULT-VALUE}).")
    int maxQueuedRequests;

    @Option(names = "--max-batch-wait", paramLabel = "DURATION", defaultValue = "10ms",
            converter = DurationConverter.class,
            description = "Longest a free model waits for a burst of requests to fill its batch; the wait also ends "
                    + "at a 3 ms lull, within a quarter of the previous call, and only follows merged calls "
                    + "(default: ${DEFAULT-VALUE}; 0: never).")
    Duration maxBatchWait;

    @Option(names = "--max-body-size", paramLabel = "SIZE", defaultValue = "2MB", converter = ByteSizeConverter.class,
            description = "Largest request body; larger ones get 413 (default: ${DEFAULT-VALUE}; K/M/G = 1024^n).")
    long maxBodySize;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "10m",
            converter = DurationConverter.class,
            description = "Longest a request may wait for the model (a generation: until its last token); then 503 "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "On SIGTERM, how long to let queued requests finish (default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = {"Require this key (Authorization: Bearer KEY, or X-Api-Key: KEY) on every route but "
                + "/health; repeat for several.", "Default: the INFER4J_API_KEY environment variable if set, "
                + "else no key."})
    List<String> apiKeys = new ArrayList<>();

    @Option(names = "--cors-origin", paramLabel = "ORIGIN",
            description = "Let browsers call from this origin (e.g. https://app.example, or * for any); repeatable. "
                    + "Default: CORS off.")
    List<String> corsOrigins = new ArrayList<>();

    @Option(names = "--no-access-log", description = "Do not log a line per request.")
    boolean noAccessLog;

    private final ModelLoader loader;

    public ServeCommand() {
        this(EngineModels::embeddingModel);
    }

    ServeCommand(ModelLoader loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = config();
        int computeThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        GeneratorSettings generation = generatorSettings(config);
        ServerMetrics metrics = new ServerMetrics();
        GenerationMetrics generationMetrics = new GenerationMetrics(metrics.registry());
        ServedGenerators generators = ServedGenerators.none();
        GenerationMetrics.watch(metrics.registry(), generators);
        ServedModels served = new ServedModels(models);
        InferenceServer server = new InferenceServer(config, served, generators, metrics);
        try {
            server.start();
        } catch (RuntimeException e) {
            // not picocli's ExecutionException: picocli would unwrap it and show only the cause
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        LOG.info("listening on {}; loading {} with {} threads", server.url(), models, computeThreads);

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(0);
        ShutdownSignals.onTermination(() -> {
            server.shutdown(config.shutdownGrace());
            stopped.countDown();
        });
        GeneratorLoader generatorLoader = new GgufGeneratorLoader(generation, generationMetrics::listener);
        served.loadInBackground(loader, generatorLoader, generators, computeThreads, config.batchLimits(),
                        metrics::embeddingBatches)
                .whenComplete((ok, failure) -> {
                    if (failure == null) {
                        List<String> ids = new ArrayList<>();
                        served.embeddingModels().forEach(m -> ids.add(m.id()));
                        generators.all().forEach(g -> ids.add(g.id()));
                        LOG.info("ready: serving {} at {}", ids, server.url());
                    } else if (served.state() == ServedModels.State.FAILED) {
                        LOG.error("cannot load the model: {}", served.failure());
                        exitCode.set(1);
                        server.shutdown(Duration.ZERO);
                        stopped.countDown();
                    }
                });
        stopped.await();
        return exitCode.get();
    }

    /** How generators are run, or a usage error (exit code 2) naming the bad option. */
    GeneratorSettings generatorSettings(ServerConfig config) {
        requireRange("--parallel", parallel, 1, GeneratorSettings.MAX_PARALLEL);
        requireRange("--ctx-size", contextSize, 0, 1 << 20);
        if (kvCacheSize != null && kvCacheSize < 1) {
            throw usage("--kv-cache-size must be positive, got " + kvCacheSize + " bytes");
        }
        if (chatTemplate != null) {
            try {
                ChatTemplate.byName(chatTemplate);
            } catch (UnsupportedChatTemplateException e) {
                throw usage("--chat-template: " + e.getMessage());
            }
        }
        return new GeneratorSettings(parallel, contextSize, kvCacheSize == null ? 0 : kvCacheSize,
                config.batchLimits().maxQueuedRequests(), 128, config.requestTimeout(), chatTemplate);
    }

    /** The server configuration, or a usage error (exit code 2) naming the bad option. */
    ServerConfig config() {
        requireRange("--port", port, 0, 65535);
        requireRange("--max-batch-tokens", maxBatchTokens, 1, Integer.MAX_VALUE);
        requireRange("--max-batch-requests", maxBatchRequests, 1, Integer.MAX_VALUE);
        requireRange("--max-queued-requests", maxQueuedRequests, 1, Integer.MAX_VALUE);
        if (threads != null) {
            requireRange("--threads", threads, 1, 4096);
        }
        if (maxBodySize < 1 || maxBodySize > Integer.MAX_VALUE - 16) {
            throw usage("--max-body-size must be from 1 byte to 2GB, got " + maxBodySize + " bytes");
        }
        if (maxBatchWait.compareTo(Duration.ofSeconds(1)) > 0) {
            throw usage("--max-batch-wait must be at most 1s, got " + maxBatchWait.toMillis() + "ms");
        }
        if (requestTimeout.isZero()) {
            throw usage("--request-timeout must be positive");
        }
        for (String key : apiKeys) {
            if (key.isBlank()) {
                throw usage("--api-key must not be blank");
            }
        }
        List<String> keys = new ArrayList<>(apiKeys);
        String envKey = System.getenv("INFER4J_API_KEY");
        if (keys.isEmpty() && envKey != null && !envKey.isBlank()) {
            keys.add(envKey.strip());
        }
        for (String origin : corsOrigins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw usage("--cors-origin must be * or an origin like https://app.example, got '" + origin + "'");
            }
        }
        return new ServerConfig(host, port, maxBodySize,
                new BatchLimits(maxBatchTokens, maxBatchRequests, maxQueuedRequests, maxBatchWait), requestTimeout,
                shutdownGrace,
                keys, corsOrigins, !noAccessLog);
    }

    private void requireRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw usage(option + " must be from " + min + " to " + max + ", got " + value);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
