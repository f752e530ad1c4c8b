package dev.infer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.engine.embed.EmbeddingResult;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server over the real default model (all-MiniLM-L6-v2 from the jar on the class path): what comes over HTTP
 * is exactly what the in-process model computes, token counts are the tokenizer's, and the known token ids of
 * BERT's uncased vocabulary come back from /tokenize.
 */
@Timeout(300)
class RealModelServerTest {
    static EmbeddingModel model;
    static TestServer server;
    static Http http;

    static final List<String> TEXTS = List.of("Hello, world!", "A cat is sitting on the mat.",
            "Transformers encode sentences into dense vectors.", "Ünïcödé façade — naïve café 東京",
            "short");

    @BeforeAll
    static void start() {
        model = Infer4j.embeddingModel("all-minilm-l6-v2", 2);
        server = TestServer.start(model);
        http = server.http();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close(); // closes the model too
        }
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).floatValue();
        }
        return v;
    }

    private static JsonNode ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /**
     * The same vector up to summation order: the CPU kernels' float reductions may round differently before and
     * after the JIT compiles them (a few ulps), so the server's vector and a later in-process one may differ in
     * the last bits. A different text differs by orders of magnitude more. The exact float-for-float plumbing
     * (JSON, base64, slicing of batches) is asserted bit-exactly against the fake model in EmbeddingRoutesTest.
     */
    private static void assertSameVector(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, "component " + i);
        }
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    @Test
    void modelIsListedWithItsRealShape() {
        JsonNode card = ok(http.get("/v1/models")).get("data").get(0);
        assertEquals("all-minilm-l6-v2", card.get("id").asText());
        assertEquals(384, card.get("dimensions").asInt());
        assertEquals(256, card.get("max_input_tokens").asInt());
    }

    @Test
    void openAiEmbeddingsEqualTheInProcessModelAndUsageIsTheTokenizerCount() {
        JsonNode r = ok(http.post("/v1/embeddings", Http.toJson(Map.of("input", TEXTS, "model", "all-minilm-l6-v2"))));
        EmbeddingResult expected = model.embed(TEXTS, EmbedOptions.DEFAULT);
        int tokens = 0;
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] got = floats(r.get("data").get(i).get("embedding"));
            assertEquals(384, got.length);
            assertSameVector(expected.vectors()[i], got);
            assertEquals(1.0, norm(got), 1e-5, "normalised");
            tokens += model.tokenize(TEXTS.get(i)).length;
        }
        assertEquals(tokens, r.get("usage").get("prompt_tokens").asInt());
        assertEquals(tokens, r.get("usage").get("total_tokens").asInt());
        // [CLS] hello , world ! [SEP]
        JsonNode hello = ok(http.post("/v1/embeddings", "{\"input\":\"Hello, world!\"}"));
        assertEquals(6, hello.get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void tokenizeAnswersBertUncasedIds() {
        JsonNode r = ok(http.post("/tokenize", "{\"inputs\":[\"Hello, world!\"]}"));
        assertEquals(Http.JSON.valueToTree(new int[][] {{101, 7592, 1010, 2088, 999, 102}}), r);
        JsonNode bare = ok(http.post("/tokenize", "{\"inputs\":\"Hello, world!\",\"add_special_tokens\":false}"));
        assertEquals(Http.JSON.valueToTree(new int[][] {{7592, 1010, 2088, 999}}), bare);
        for (String text : TEXTS) {
            JsonNode ids = ok(http.post("/tokenize", Http.toJson(Map.of("inputs", text)))).get(0);
            assertEquals(Http.JSON.valueToTree(model.tokenize(text)), ids, text);
        }
    }

    @Test
    void tokenIdInputEmbedsLikeTheText() {
        String text = "Transformers encode sentences into dense vectors.";
        int[] ids = model.tokenize(text, false);
        JsonNode fromIds = ok(http.post("/v1/embeddings", Http.toJson(Map.of("input", ids))));
        float[] expected = model.embed(List.of(text), EmbedOptions.DEFAULT).vectors()[0];
        assertSameVector(expected, floats(fromIds.get("data").get(0).get("embedding")));
        assertEquals(ids.length + 2, fromIds.get("usage").get("prompt_tokens").asInt());

        HttpResponse<String> bad = http.post("/v1/embeddings", "{\"input\":[[101, 40000]]}");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(Http.json(bad).get("error").get("message").asText().contains("40000"), bad.body());
    }

    @Test
    void base64AndDimensionsMatchTheModel() {
        JsonNode b64 = ok(http.post("/v1/embeddings", "{\"input\":\"short\",\"encoding_format\":\"base64\"}"));
        byte[] bytes = Base64.getDecoder().decode(b64.get("data").get(0).get("embedding").asText());
        float[] decoded = new float[384];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
        assertEquals(384 * 4, bytes.length);
        assertSameVector(model.embed(List.of("short"), EmbedOptions.DEFAULT).vectors()[0], decoded);

        JsonNode small = ok(http.post("/v1/embeddings", "{\"input\":\"short\",\"dimensions\":64}"));
        float[] v = floats(small.get("data").get(0).get("embedding"));
        assertSameVector(model.embed(List.of("short"), new EmbedOptions(null, 64, true, false)).vectors()[0], v);
        assertEquals(64, v.length);
        assertEquals(1.0, norm(v), 1e-5);
    }

    @Test
    void overlongInputIsTruncatedOnOpenAiAndA422OnTeiUnlessAsked() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append("word").append(i % 50).append(' ');
        }
        String longText = sb.toString();
        assertTrue(model.tokenize(longText).length > 256);
        JsonNode truncated = ok(http.post("/v1/embeddings", Http.toJson(Map.of("input", longText))));
        assertEquals(256, truncated.get("usage").get("prompt_tokens").asInt());
        assertSameVector(model.embed(List.of(longText), EmbedOptions.DEFAULT).vectors()[0],
                floats(truncated.get("data").get(0).get("embedding")));

        HttpResponse<String> refused = http.post("/embed", Http.toJson(Map.of("inputs", longText)));
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(Http.json(refused).get("error").get("message").asText().contains("at most 256"), refused.body());

        JsonNode left = ok(http.post("/embed", Http.toJson(Map.of("inputs", longText, "truncate", true,
                "truncation_direction", "Left"))));
        assertSameVector(model.embed(List.of(longText), new EmbedOptions(true, null, true, true)).vectors()[0],
                floats(left.get(0)));
    }

    @Test
    void teiEmbedWithoutNormalisation() {
        JsonNode raw = ok(http.post("/embed", "{\"inputs\":\"A cat is sitting on the mat.\",\"normalize\":false}"));
        float[] v = floats(raw.get(0));
        assertSameVector(model.embed(List.of("A cat is sitting on the mat."),
                new EmbedOptions(false, null, false, false)).vectors()[0], v);
        assertTrue(Math.abs(norm(v) - 1) > 0.01, "mean-pooled MiniLM states are not unit length: " + norm(v));
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnVector() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            texts.add("Request number " + i + " asks about topic " + (i * 7 % 5) + ".");
        }
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (String t : texts) {
            futures.add(http.postAsync("/v1/embeddings", Http.toJson(Map.of("input", t))));
        }
        for (int i = 0; i < texts.size(); i++) {
            float[] got = floats(ok(futures.get(i).get()).get("data").get(0).get("embedding"));
            float[] alone = model.embed(List.of(texts.get(i)), EmbedOptions.DEFAULT).vectors()[0];
            assertTrue(cosine(alone, got) >= 0.99999, "request " + i + ": cosine " + cosine(alone, got));
        }
    }

    @Test
    void similarSentencesAreCloserThanUnrelatedOnes() {
        JsonNode r = ok(http.post("/v1/embeddings", Http.toJson(Map.of("input", List.of(
                "A cat is sitting on the mat.", "A kitten rests on a rug.", "The stock market fell sharply today.")))));
        float[] cat = floats(r.get("data").get(0).get("embedding"));
        float[] kitten = floats(r.get("data").get(1).get("embedding"));
        float[] stocks = floats(r.get("data").get(2).get("embedding"));
        assertTrue(cosine(cat, kitten) > cosine(cat, stocks) + 0.3,
                "cat~kitten " + cosine(cat, kitten) + " vs cat~stocks " + cosine(cat, stocks));
    }
}
