package dev.infer4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingResult;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The success paths of /v1/embeddings, /embed, /tokenize and /v1/models over real HTTP, against a fake model. */
@Timeout(60)
class EmbeddingRoutesTest {
    static final FakeEmbeddingModel MODEL = new FakeEmbeddingModel("fake-embedder", 8, 16);
    static TestServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start(MODEL);
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).floatValue();
        }
        return v;
    }

    static JsonNode ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return Http.json(r);
    }

    @Test
    void healthIsOkOnceLoaded() {
        HttpResponse<String> r = http.get("/health");
        assertEquals(200, r.statusCode());
        assertEquals("ok", Http.json(r).get("status").asText());
    }

    @Test
    void modelsAreListedInOpenAiShape() {
        JsonNode list = ok(http.get("/v1/models"));
        assertEquals("list", list.get("object").asText());
        assertEquals(1, list.get("data").size());
        JsonNode card = list.get("data").get(0);
        assertEquals("fake-embedder", card.get("id").asText());
        assertEquals("model", card.get("object").asText());
        assertEquals("infer4j", card.get("owned_by").asText());
        assertTrue(card.get("created").asLong() > 1_700_000_000L);
        assertEquals(8, card.get("dimensions").asInt());
        assertEquals(16, card.get("max_input_tokens").asInt());
        assertEquals(card, ok(http.get("/v1/models/fake-embedder")));
    }

    @Test
    void openAiEmbeddingOfOneStringMatchesTheModel() {
        String text = "The quick brown fox";
        JsonNode r = ok(http.post("/v1/embeddings", "{\"model\":\"fake-embedder\",\"input\":\"" + text + "\"}"));
        assertEquals("list", r.get("object").asText());
        assertEquals("fake-embedder", r.get("model").asText());
        JsonNode item = r.get("data").get(0);
        assertEquals("embedding", item.get("object").asText());
        assertEquals(0, item.get("index").asInt());
        float[] expected = MODEL.embed(List.of(text), EmbedOptions.DEFAULT).vectors()[0];
        assertArrayEquals(expected, floats(item.get("embedding")));
        assertEquals(MODEL.tokenize(text).length, r.get("usage").get("prompt_tokens").asInt());
        assertEquals(6, r.get("usage").get("total_tokens").asInt());
    }

    @Test
    void openAiEmbeddingOfManyStringsKeepsOrderAndCountsAllTokens() {
        List<String> texts = List.of("alpha", "beta gamma", "delta epsilon zeta", "eta");
        JsonNode r = ok(http.post("/v1/embeddings", Http.toJson(Map.of("input", texts))));
        EmbeddingResult expected = MODEL.embed(texts, EmbedOptions.DEFAULT);
        assertEquals(texts.size(), r.get("data").size());
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(i, r.get("data").get(i).get("index").asInt());
            assertArrayEquals(expected.vectors()[i], floats(r.get("data").get(i).get("embedding")));
            tokens += MODEL.tokenize(texts.get(i)).length;
        }
        assertEquals(tokens, r.get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void openAiEmbeddingOfTokenIds() {
        JsonNode one = ok(http.post("/v1/embeddings", "{\"input\":[2000,2001,2002]}"));
        float[] expected = MODEL.embedTokens(List.of(new int[] {2000, 2001, 2002}), EmbedOptions.DEFAULT).vectors()[0];
        assertEquals(1, one.get("data").size());
        assertArrayEquals(expected, floats(one.get("data").get(0).get("embedding")));
        assertEquals(5, one.get("usage").get("prompt_tokens").asInt());

        JsonNode many = ok(http.post("/v1/embeddings", "{\"input\":[[2000,2001,2002],[7]]}"));
        assertEquals(2, many.get("data").size());
        assertArrayEquals(expected, floats(many.get("data").get(0).get("embedding")));
        assertArrayEquals(MODEL.embedTokens(List.of(new int[] {7}), EmbedOptions.DEFAULT).vectors()[0],
                floats(many.get("data").get(1).get("embedding")));
        assertEquals(8, many.get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void base64DecodesToTheSameFloats() {
        String body = "{\"input\":[\"one two\",\"three\"],\"encoding_format\":\"%s\"}";
        JsonNode asFloats = ok(http.post("/v1/embeddings", body.formatted("float")));
        JsonNode asBase64 = ok(http.post("/v1/embeddings", body.formatted("base64")));
        for (int i = 0; i < 2; i++) {
            byte[] bytes = Base64.getDecoder().decode(asBase64.get("data").get(i).get("embedding").asText());
            assertEquals(8 * Float.BYTES, bytes.length);
            float[] decoded = new float[8];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(decoded);
            assertArrayEquals(floats(asFloats.get("data").get(i).get("embedding")), decoded);
        }
        assertEquals(asFloats.get("usage"), asBase64.get("usage"));
    }

    @Test
    void dimensionsTruncatesAndRenormalises() {
        JsonNode r = ok(http.post("/v1/embeddings", "{\"input\":\"matryoshka doll\",\"dimensions\":3}"));
        float[] v = floats(r.get("data").get(0).get("embedding"));
        assertArrayEquals(MODEL.embed(List.of("matryoshka doll"), new EmbedOptions(null, 3, true, false)).vectors()[0],
                v);
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertEquals(1.0, norm, 1e-6);
    }

    @Test
    void overlongInputIsTruncatedOnTheOpenAiRoute() {
        String longText = "w ".repeat(40);
        JsonNode r = ok(http.post("/v1/embeddings", Http.toJson(Map.of("input", longText))));
        assertEquals(16, r.get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void teiEmbedAnswersAnArrayOfVectors() {
        List<String> texts = List.of("first text", "second one here");
        JsonNode r = ok(http.post("/embed", Http.toJson(Map.of("inputs", texts))));
        assertTrue(r.isArray());
        EmbeddingResult expected = MODEL.embed(texts, new EmbedOptions(true, null, false, false));
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(expected.vectors()[i], floats(r.get(i)));
        }
        JsonNode single = ok(http.post("/embed", "{\"inputs\":\"first text\"}"));
        assertEquals(1, single.size());
        assertArrayEquals(expected.vectors()[0], floats(single.get(0)));
    }

    @Test
    void teiEmbedHonoursNormalizeAndTruncation() {
        JsonNode raw = ok(http.post("/embed", "{\"inputs\":\"some words\",\"normalize\":false}"));
        assertArrayEquals(MODEL.embed(List.of("some words"), new EmbedOptions(false, null, false, false)).vectors()[0],
                floats(raw.get(0)));
        assertNotEquals(floats(raw.get(0))[0],
                floats(ok(http.post("/embed", "{\"inputs\":\"some words\"}")).get(0))[0]);

        List<String> words = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            words.add("word" + i);
        }
        String longText = String.join(" ", words);
        JsonNode right = ok(http.post("/embed", Http.toJson(Map.of("inputs", longText, "truncate", true))));
        JsonNode left = ok(http.post("/embed", Http.toJson(Map.of("inputs", longText, "truncate", true,
                "truncation_direction", "Left"))));
        assertArrayEquals(MODEL.embed(List.of(longText), new EmbedOptions(true, null, true, false)).vectors()[0],
                floats(right.get(0)));
        assertArrayEquals(MODEL.embed(List.of(longText), new EmbedOptions(true, null, true, true)).vectors()[0],
                floats(left.get(0)));
        assertFalse(floats(right.get(0))[0] == floats(left.get(0))[0], "left and right truncation differ");
    }

    @Test
    void teiTokenizeWithAndWithoutSpecialTokens() {
        JsonNode with = ok(http.post("/tokenize", "{\"inputs\":[\"hello world\",\"\"]}"));
        assertEquals(Http.JSON.valueToTree(new int[][] {MODEL.tokenize("hello world"), {101, 102}}), with);
        JsonNode without = ok(http.post("/tokenize", "{\"inputs\":\"hello world\",\"add_special_tokens\":false}"));
        assertEquals(Http.JSON.valueToTree(new int[][] {MODEL.tokenize("hello world", false)}), without);
        assertEquals(2, without.get(0).size());
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        HttpResponse<String> mine = http.send(http.request("/health").header("X-Request-Id", "abc-123").GET().build());
        assertEquals("abc-123", mine.headers().firstValue("X-Request-Id").orElseThrow());
        HttpResponse<String> generated = http.get("/health");
        assertTrue(generated.headers().firstValue("X-Request-Id").orElseThrow().matches("[0-9a-f]{16}"));
        HttpResponse<String> hostile = http.send(http.request("/health").header("X-Request-Id", "a b\"c").GET()
                .build());
        assertTrue(hostile.headers().firstValue("X-Request-Id").orElseThrow().matches("[0-9a-f]{16}"));
    }

    @Test
    void corsIsOffByDefault() {
        HttpResponse<String> r = http.send(http.request("/v1/models").header("Origin", "https://example.com").GET()
                .build());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }
}
