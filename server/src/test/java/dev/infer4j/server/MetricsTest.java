package dev.infer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /metrics counts what was sent, in the Prometheus text format. */
@Timeout(60)
class MetricsTest {

    private static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertTrue(m.find(), "no sample " + series + " in\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void countsRequestsBatchesAndQueue() throws Exception {
        FakeEmbeddingModel model = new FakeEmbeddingModel("fake", 4, 16);
        try (TestServer s = TestServer.start(model)) {
            Http http = s.http();
            for (int i = 0; i < 3; i++) {
                assertEquals(200, http.post("/v1/embeddings", "{\"input\":[\"a b\",\"c\"]}").statusCode());
            }
            assertEquals(400, http.post("/v1/embeddings", "{}").statusCode());
            assertEquals(404, http.get("/nope/" + "x".repeat(10)).statusCode());
            assertEquals(200, http.post("/embed", "{\"inputs\":\"d e f\"}").statusCode());

            // four requests merged into one batch behind a held call
            model.hold();
            var first = http.postAsync("/v1/embeddings", "{\"input\":\"first\"}");
            while (model.running.get() == 0) {
                Thread.sleep(5);
            }
            List<CompletableFuture<HttpResponse<String>>> merged = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                merged.add(http.postAsync("/v1/embeddings", "{\"input\":\"merged " + i + "\"}"));
            }
            while (s.server().models().embeddingModels().getFirst().queueLength() < 4) {
                Thread.sleep(5);
            }
            String during = http.get("/metrics").body();
            assertEquals(4, sample(during, "infer4j_embedding_queue_length{model=\"fake\"}"));
            model.open();
            first.get();
            for (var f : merged) {
                assertEquals(200, f.get().statusCode());
            }

            HttpResponse<String> r = http.get("/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            String scrape = r.body();
            assertEquals(8, sample(scrape,
                    "infer4j_http_requests_total{route=\"/v1/embeddings\",method=\"POST\",status=\"200\"}"));
            assertEquals(1, sample(scrape,
                    "infer4j_http_requests_total{route=\"/v1/embeddings\",method=\"POST\",status=\"400\"}"));
            assertEquals(1, sample(scrape, "infer4j_http_requests_total{route=\"other\",method=\"GET\",status=\"404\"}"));
            assertEquals(1, sample(scrape, "infer4j_http_requests_total{route=\"/embed\",method=\"POST\",status=\"200\"}"));
            assertEquals(0, sample(scrape, "infer4j_embedding_queue_length{model=\"fake\"}"));
            assertEquals(1, sample(scrape, "infer4j_ready"));
            // batches: 3 of 2 inputs, 1 of 1 (/embed), 1 of 1 (first), 1 of 4 (merged)
            assertEquals(6, sample(scrape, "infer4j_embedding_batch_size_count{model=\"fake\"}"));
            assertEquals(2, sample(scrape, "infer4j_embedding_batch_size_bucket{model=\"fake\",le=\"1\"}"));
            assertEquals(5, sample(scrape, "infer4j_embedding_batch_size_bucket{model=\"fake\",le=\"2\"}"));
            assertEquals(6, sample(scrape, "infer4j_embedding_batch_size_bucket{model=\"fake\",le=\"4\"}"));
            assertEquals(6, sample(scrape, "infer4j_embedding_batch_size_bucket{model=\"fake\",le=\"+Inf\"}"));
            assertEquals(12, sample(scrape, "infer4j_embedding_batch_size_sum{model=\"fake\"}"));
            assertEquals(5, sample(scrape, "infer4j_embedding_batch_requests_bucket{model=\"fake\",le=\"1\"}"));
            assertEquals(6, sample(scrape, "infer4j_embedding_batch_requests_bucket{model=\"fake\",le=\"4\"}"));
            assertEquals(12, sample(scrape, "infer4j_embedding_inputs_total{model=\"fake\"}"));
            assertEquals(9, sample(scrape, "infer4j_embedding_queue_time_seconds_count{model=\"fake\"}"));
            assertTrue(sample(scrape, "infer4j_http_request_duration_seconds_count{route=\"/v1/embeddings\"}") >= 9);
            assertTrue(scrape.contains("# TYPE infer4j_http_request_duration_seconds histogram\n"));
            assertTrue(scrape.contains("# TYPE infer4j_http_requests_total counter\n"));
        }
    }
}
