package dev.infer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.engine.schedule.BatchLimits;
import dev.infer4j.engine.schedule.BatchListener;
import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.server.metrics.ServerMetrics;
import dev.infer4j.server.model.GeneratorLoader;
import dev.infer4j.server.model.GeneratorSettings;
import dev.infer4j.server.model.GgufGeneratorLoader;
import dev.infer4j.server.model.ServedGenerator;
import dev.infer4j.server.model.ServedGenerators;
import dev.infer4j.server.model.ServedModels;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Queue limits (429), timeouts, loading (503 then 200), load failures and graceful shutdown. */
@Timeout(60)
class AdmissionAndLifecycleTest {

    private static void awaitRunning(FakeEmbeddingModel model) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (model.running.get() == 0) {
            assertTrue(System.nanoTime() < deadline, "the model call never started");
            Thread.sleep(5);
        }
    }

    private static void awaitQueued(TestServer s, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.server().models().embeddingModels().getFirst().queueLength() < n) {
            assertTrue(System.nanoTime() < deadline, "requests never queued");
            Thread.sleep(5);
        }
    }

    @Test
    void fullQueueAnswers429WithRetryAfterWhileHealthStaysOk() throws Exception {
        FakeEmbeddingModel model = new FakeEmbeddingModel("fake", 4, 16);
        try (TestServer s = TestServer.start(model, c -> TestServer.withLimits(c, new BatchLimits(1000, 1, 2)))) {
            model.hold();
            var running = s.http().postAsync("/v1/embeddings", "{\"input\":\"running\"}");
            awaitRunning(model);
            var queued1 = s.http().postAsync("/v1/embeddings", "{\"input\":\"queued one\"}");
            var queued2 = s.http().postAsync("/embed", "{\"inputs\":\"queued two\"}");
            awaitQueued(s, 2);

            HttpResponse<String> rejected = s.http().post("/v1/embeddings", "{\"input\":\"one too many\"}");
            ErrorResponsesTest.error(rejected, 429, null);
            assertEquals("1", rejected.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("rate_limit_error", Http.json(rejected).get("error").get("type").asText());
            assertEquals("queue_full", Http.json(rejected).get("error").get("code").asText());
            assertEquals(200, s.http().get("/health").statusCode());

            model.open();
            assertEquals(200, running.get().statusCode());
            assertEquals(200, queued1.get().statusCode());
            assertEquals(200, queued2.get().statusCode());
            assertEquals(200, s.http().post("/v1/embeddings", "{\"input\":\"room again\"}").statusCode());
        } finally {
            model.open();
        }
    }

    @Test
    void requestThatOutlivesTheTimeoutIsA503AndLeavesTheQueue() throws Exception {
        FakeEmbeddingModel model = new FakeEmbeddingModel("fake", 4, 16);
        try (TestServer s = TestServer.start(model, c -> new ServerConfig(c.host(), c.port(), c.maxBodyBytes(),
                new BatchLimits(1000, 1, 1), Duration.ofMillis(300), c.shutdownGrace(), c.apiKeys(),
                c.corsOrigins(), c.accessLog()))) {
            model.hold();
            var running = s.http().postAsync("/v1/embeddings", "{\"input\":\"running\"}");
            awaitRunning(model);
            HttpResponse<String> waited = s.http().post("/v1/embeddings", "{\"input\":\"waits too long\"}");
            ErrorResponsesTest.error(waited, 503, null);
            assertEquals("timeout", Http.json(waited).get("error").get("code").asText());
            assertEquals(0, s.server().models().embeddingModels().getFirst().queueLength(), "slot freed");
            model.open();
            running.get(); // timed out too, or finished: either way answered
        } finally {
            model.open();
        }
    }

    @Test
    void healthIs503WhileTheModelLoadsThen200() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeEmbeddingModel model = new FakeEmbeddingModel("slow-loader", 4, 16);
        ServedModels models = new ServedModels(List.of("slow-loader"));
        try (TestServer s = TestServer.start(TestServer.config(), models, new ServerMetrics())) {
            CompletableFuture<Void> loaded = models.loadInBackground((name, threads) -> {
                assertTrue(release.await(20, TimeUnit.SECONDS));
                return model;
            }, 1, BatchLimits.DEFAULT, id -> BatchListener.NONE);

            HttpResponse<String> loading = s.http().get("/health");
            assertEquals(503, loading.statusCode());
            assertEquals("loading", Http.json(loading).get("status").asText());
            HttpResponse<String> early = s.http().post("/v1/embeddings", "{\"input\":\"too early\"}");
            ErrorResponsesTest.error(early, 503, null);
            assertEquals("model_loading", Http.json(early).get("error").get("code").asText());
            assertTrue(early.headers().firstValue("Retry-After").isPresent());
            ErrorResponsesTest.error(s.http().get("/v1/models"), 503, null);

            release.countDown();
            loaded.get(10, TimeUnit.SECONDS);
            assertEquals(200, s.http().get("/health").statusCode());
            assertEquals(200, s.http().post("/v1/embeddings", "{\"input\":\"now\"}").statusCode());
        }
    }

    @Test
    void generatorLoadsInTheBackgroundBesideAnEmbeddingModel() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeEmbeddingModel embedder = new FakeEmbeddingModel("embedder", 4, 16);
        String stories = GeneratingServer.model().toString();
        ServedModels models = new ServedModels(List.of("embedder", stories));
        ServedGenerators generators = ServedGenerators.none();
        GgufGeneratorLoader real = new GgufGeneratorLoader(new GeneratorSettings(2, 128, 0, 4, 32,
                Duration.ofMinutes(1), null), id -> null);
        GeneratorLoader gated = new GeneratorLoader() {
            @Override
            public boolean accepts(String nameOrPath) {
                return real.accepts(nameOrPath);
            }

            @Override
            public ServedGenerator load(String nameOrPath, int threads) throws Exception {
                assertTrue(release.await(20, TimeUnit.SECONDS));
                return real.load(nameOrPath, threads);
            }
        };
        ServerMetrics metrics = new ServerMetrics();
        InferenceServer server = new InferenceServer(TestServer.config(), models, generators, metrics).start();
        try (TestServer s = new TestServer(server, new Http(server.url()))) {
            CompletableFuture<Void> loaded = models.loadInBackground((name, threads) -> embedder, gated, generators, 1,
                    BatchLimits.DEFAULT, id -> BatchListener.NONE);
            assertEquals(503, s.http().get("/health").statusCode());
            HttpResponse<String> early = s.http().post("/v1/completions", "{\"prompt\":\"Once\",\"max_tokens\":2}");
            ErrorResponsesTest.error(early, 503, null);
            assertEquals("model_loading", Http.json(early).at("/error/code").asText());
            assertEquals(503, s.http().post("/tokenize", "{\"content\":\"Once\"}").statusCode());

            release.countDown();
            loaded.get(20, TimeUnit.SECONDS);
            assertEquals(200, s.http().get("/health").statusCode());
            JsonNode list = Http.json(s.http().get("/v1/models"));
            assertEquals("embedder", list.at("/data/0/id").asText(), list.toString());
            assertEquals("stories260K", list.at("/data/1/id").asText(), list.toString());
            assertEquals("generation", list.at("/data/1/kind").asText(), list.toString());
            assertEquals(128, list.at("/data/1/max_input_tokens").asInt(), list.toString());
            assertEquals(200, s.http().post("/v1/completions", "{\"prompt\":\"Once\",\"max_tokens\":2}").statusCode());
            assertEquals(200, s.http().post("/v1/embeddings", "{\"input\":\"now\"}").statusCode());
            // one /tokenize, two shapes: llama.cpp's for the generator, TEI's for the embedding model
            assertEquals(Http.JSON.readTree("{\"tokens\":[403]}"), Http.json(s.http().post("/tokenize",
                    "{\"content\":\"Once\"}")));
            assertEquals(200, s.http().post("/tokenize", "{\"inputs\":\"Once\"}").statusCode());
        }
    }

    @Test
    void failedLoadKeepsHealthAt503WithTheReason() throws Exception {
        ServedModels models = new ServedModels(List.of("broken"));
        try (TestServer s = TestServer.start(TestServer.config(), models, new ServerMetrics())) {
            CompletableFuture<Void> loaded = models.loadInBackground((name, threads) -> {
                throw new java.io.FileNotFoundException("no model file 'broken'");
            }, 1, BatchLimits.DEFAULT, id -> BatchListener.NONE);
            assertThrows(Exception.class, () -> loaded.get(10, TimeUnit.SECONDS));
            HttpResponse<String> health = s.http().get("/health");
            assertEquals(503, health.statusCode());
            assertEquals("failed", Http.json(health).get("status").asText());
            assertTrue(Http.json(health).get("message").asText().contains("no model file 'broken'"));
            ErrorResponsesTest.assertContains(ErrorResponsesTest.error(
                    s.http().post("/v1/embeddings", "{\"input\":\"x\"}"), 503, null), "no model file 'broken'");
        }
    }

    @Test
    void shutdownFinishesInFlightRequestsThenRefusesConnections() throws Exception {
        FakeEmbeddingModel model = new FakeEmbeddingModel("fake", 4, 16);
        TestServer s = TestServer.start(model);
        model.hold();
        var running = s.http().postAsync("/v1/embeddings", "{\"input\":\"in flight\"}");
        awaitRunning(model);
        var queued = s.http().postAsync("/v1/embeddings", "{\"input\":\"queued\"}");
        awaitQueued(s, 1);

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> s.server().shutdown(
                Duration.ofSeconds(10)));
        Thread.sleep(200);
        HttpResponse<String> late = s.http().post("/v1/embeddings", "{\"input\":\"late\"}");
        assertEquals(503, late.statusCode(), late.body());
        assertEquals(503, s.http().get("/health").statusCode());
        model.open();

        assertEquals(200, running.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(200, queued.get(10, TimeUnit.SECONDS).statusCode());
        assertTrue(stopped.get(10, TimeUnit.SECONDS), "drained within the grace period");
        assertThrows(java.io.UncheckedIOException.class, () -> s.http().get("/health"));
    }

    @Test
    void shutdownPastTheGracePeriodAnswersWhatIsLeftWith503() throws Exception {
        FakeEmbeddingModel model = new FakeEmbeddingModel("fake", 4, 16);
        TestServer s = TestServer.start(model);
        model.hold();
        var running = s.http().postAsync("/v1/embeddings", "{\"input\":\"in flight\"}");
        awaitRunning(model);
        var queued = s.http().postAsync("/v1/embeddings", "{\"input\":\"queued\"}");
        awaitQueued(s, 1);
        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> s.server().shutdown(
                Duration.ofMillis(200)));
        Thread.sleep(400);
        model.open(); // the running call ends after the grace period
        assertEquals(503, queued.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(200, running.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(false, stopped.get(10, TimeUnit.SECONDS));
    }
}
