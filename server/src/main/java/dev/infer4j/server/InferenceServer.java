package dev.infer4j.server;

import dev.infer4j.server.api.CompletionRoutes;
import dev.infer4j.server.api.EmbeddingResponder;
import dev.infer4j.server.api.HealthRoutes;
import dev.infer4j.server.api.MetricsRoutes;
import dev.infer4j.server.api.ModelRoutes;
import dev.infer4j.server.api.OpenAiEmbeddingRoutes;
import dev.infer4j.server.api.RouteGroup;
import dev.infer4j.server.api.TeiRoutes;
import dev.infer4j.server.api.TokenizeRoutes;
import dev.infer4j.server.api.json.Json;
import dev.infer4j.server.http.AccessLog;
import dev.infer4j.server.http.ApiKeyAuth;
import dev.infer4j.server.http.BodyReader;
import dev.infer4j.server.http.Cors;
import dev.infer4j.server.http.ErrorMapper;
import dev.infer4j.server.http.RequestIds;
import dev.infer4j.server.metrics.ServerMetrics;
import dev.infer4j.server.model.ServedGenerators;
import dev.infer4j.server.model.ServedModels;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: OpenAI- and TEI-compatible routes over the {@link ServedModels}, with API keys, CORS, request
 * ids, access log, metrics and graceful shutdown. The server answers (503) while its models are still loading.
 */
public final class InferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
    /** Paths labelled as themselves in the metrics; others count as "other". */
    private static final Set<String> ROUTES = Set.of("/health", "/metrics", "/v1/models", "/v1/embeddings",
            "/embed", "/tokenize", "/detokenize", "/v1/completions", "/v1/chat/completions");

    /** After the models are drained, how long responses being written may take before connections close. */
    private static final Duration RESPONSE_FLUSH = Duration.ofSeconds(5);

    private final ServerConfig config;
    private final ServedModels models;
    private final ServerMetrics metrics;
    private final ServedGenerators generators;
    private final ExecutorService renderer = Executors.newVirtualThreadPerTaskExecutor();
    private final Javalin app;
    /** Counts requests until their responses are written; the shutdown waits on it ({@link #finishResponses}). */
    private final StatisticsHandler inFlight = new StatisticsHandler();
    private boolean stopped;

    /**
     * @param metrics where the server counts its traffic; the models' batchers should report to the same instance
     *                ({@link ServerMetrics#embeddingBatches})
     */
    public InferenceServer(ServerConfig config, ServedModels models, ServerMetrics metrics) {
        this(config, models, ServedGenerators.none(), metrics);
    }

    /** A server that also generates text with {@code generators} ({@code /v1/completions}, {@code /v1/chat/completions}). */
    public InferenceServer(ServerConfig config, ServedModels models, ServedGenerators generators, ServerMetrics metrics) {
        this.config = config;
        this.generators = generators;
        this.models = models;
        this.metrics = metrics;
        metrics.watch(models);
        BodyReader bodies = new BodyReader(config.maxBodyBytes());
        EmbeddingResponder responder = new EmbeddingResponder(renderer, config.requestTimeout());
        TeiRoutes tei = new TeiRoutes(models, bodies, responder);
        List<RouteGroup> routes = List.of(new HealthRoutes(models), new ModelRoutes(models, generators),
                new OpenAiEmbeddingRoutes(models, bodies, responder), tei,
                new TokenizeRoutes(models, generators, bodies, tei), new MetricsRoutes(metrics),
                new CompletionRoutes(models, generators, bodies));
        boolean cors = !config.corsOrigins().isEmpty();
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.http.prefer405over404 = true;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            // the shutdown waits for in-flight responses itself (finishResponses), then Jetty stops at once
            // Javalin mounts its servlet context inside the handler found here, so every request passes inFlight
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(0);
                server.setHandler(inFlight);
            });
            cfg.requestLogger.http(new AccessLog(metrics, ROUTES, config.accessLog()));
            cfg.router.mount(router -> {
                router.before(new RequestIds());
                if (cors) {
                    router.before(new Cors(config.corsOrigins()));
                    router.options("/*", Cors::preflight);
                }
                if (!config.apiKeys().isEmpty()) {
                    router.before(new ApiKeyAuth(config.apiKeys(), cors));
                }
                routes.forEach(r -> r.addTo(router));
                ErrorMapper.register(router);
            });
        });
    }

    /** Binds the port and starts answering; returns at once (models may still be loading). */
    public InferenceServer start() {
        app.start(config.host(), config.port());
        return this;
    }

    /** The bound port (the real one when the configuration asked for 0). */
    public int port() {
        return app.port();
    }

    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public ServedModels models() {
        return models;
    }

    /**
     * Graceful stop: new requests get 503, queued and running ones finish (up to {@code grace}), then the HTTP
     * server stops and the models are closed. Requests still waiting after the grace period get 503.
     *
     * @return whether every request finished within the grace period
     */
    public synchronized boolean shutdown(Duration grace) {
        if (stopped) {
            return true;
        }
        stopped = true;
        long start = System.nanoTime();
        boolean drained;
        try {
            drained = models.drain(grace); // from here new requests get 503
            Duration left = grace.minusNanos(System.nanoTime() - start);
            drained &= generators.drain(left.isNegative() ? Duration.ZERO : left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        generators.close(); // fails what is still generating, so that the HTTP server can finish those streams
        models.close(); // fails what is still queued, so that the HTTP server can answer it
        finishResponses();
        app.stop();
        renderer.close();
        LOG.info("server stopped in {} ms{}", (System.nanoTime() - start) / 1_000_000,
                drained ? "" : " (the grace period ran out; unfinished requests got 503)");
        return drained;
    }

    /**
     * Waits until every response is completely written (Jetty's own request accounting, which ends after the bytes
     * are flushed), so that stopping the server afterwards cuts no response short. (Jetty's graceful stop would do
     * this too, but it also waits about a second for idle keep-alive connections.)
     */
    private void finishResponses() {
        try {
            inFlight.shutdown().get(RESPONSE_FLUSH.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("some responses were still being written after {}; closing their connections", RESPONSE_FLUSH);
        }
    }

    @Override
    public void close() {
        shutdown(config.shutdownGrace());
    }
}
