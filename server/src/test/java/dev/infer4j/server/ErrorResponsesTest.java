package dev.infer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad requests get a 4xx in OpenAI's error shape naming the problem, never a 500 or a hang. */
@Timeout(60)
class ErrorResponsesTest {
    static final FakeEmbeddingModel MODEL = new FakeEmbeddingModel("fake-embedder", 8, 16);
    static final int BODY_LIMIT = 64 * 1024;
    static TestServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start(MODEL, c -> new ServerConfig(c.host(), c.port(), BODY_LIMIT, c.batchLimits(),
                c.requestTimeout(), c.shutdownGrace(), c.apiKeys(), c.corsOrigins(), c.accessLog()));
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Asserts the status and OpenAI error shape; returns error.message. */
    static String error(HttpResponse<String> r, int status, String param) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = Http.json(r);
        assertEquals(1, body.size(), "only 'error' at the top: " + body);
        JsonNode error = body.get("error");
        for (String field : List.of("message", "type", "param", "code")) {
            assertTrue(error.has(field), "error." + field + " present in " + body);
        }
        assertEquals(param, error.get("param").isNull() ? null : error.get("param").asText(), body.toString());
        assertTrue(error.get("message").asText().length() > 10, body.toString());
        return error.get("message").asText();
    }

    static void assertContains(String message, String part) {
        assertTrue(message.contains(part), "'" + message + "' should contain '" + part + "'");
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"input\": |                                   | malformed JSON",
        "{\"input\": \"a\"} trailing |                     | malformed JSON",
        "[\"a\"] |                                        | must be a JSON object, not an array",
        "\"a\" |                                          | must be a JSON object, not a string",
        "{} | input                                        | 'input' is required",
        "{\"input\": null} | input                         | 'input' is required",
        "{\"input\": 5} | input                            | not an integer",
        "{\"input\": {\"a\":1}} | input                    | not an object",
        "{\"input\": []} | input                           | must not be empty",
        "{\"input\": \"\"} | input                         | input is an empty string",
        "{\"input\": [\"a\", \"\"]} | input                 | input[1] is an empty string",
        "{\"input\": [\"a\", 1]} | input                    | input[1] must be a string",
        "{\"input\": [[1, 2], \"a\"]} | input               | input[1] must be an array of token ids",
        "{\"input\": [[1, \"x\"]]} | input                  | input[0][1] must be a token id",
        "{\"input\": [1, -4]} | input                       | input[1] must be a token id (a non-negative integer), not -4",
        "{\"input\": [1, 2.5]} | input                      | not 2.5",
        "{\"input\": [1, 99999999999]} | input              | not 99999999999",
        "{\"input\": [[]]} | input                          | input[0] is an empty array",
        "{\"input\": [true]} | input                        | input[0] is a boolean",
        "{\"input\": \"a\", \"model\": 7} | model            | 'model' must be a string, not an integer",
        "{\"input\": \"a\", \"encoding_format\": \"hex\"} | encoding_format | must be 'float' or 'base64', not 'hex'",
        "{\"input\": \"a\", \"encoding_format\": 1} | encoding_format | must be a string",
        "{\"input\": \"a\", \"dimensions\": 0} | dimensions    | 'dimensions' must be an integer from 1",
        "{\"input\": \"a\", \"dimensions\": \"4\"} | dimensions | 'dimensions' must be an integer, not a string",
        "{\"input\": \"a\", \"dimensions\": 9} | dimensions    | 'dimensions' is 9 but fake-embedder makes vectors of 8",
        "{\"input\": \"a\", \"user\": []} | user             | 'user' must be a string",
    })
    void openAiBadRequests(String body, String param, String expected) {
        assertContains(error(http.post("/v1/embeddings", body), 400, param), expected);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"inputs\": []} | inputs                              | must not be empty",
        "{\"inputs\": 3.5} | inputs                             | not a number",
        "{\"inputs\": \"a\", \"normalize\": \"yes\"} | normalize  | 'normalize' must be true or false, not a string",
        "{\"inputs\": \"a\", \"truncate\": 1} | truncate          | 'truncate' must be true or false",
        "{\"inputs\": \"a\", \"truncation_direction\": \"up\"} | truncation_direction | must be 'Left' or 'Right', not 'up'",
        "{\"inputs\": \"a\", \"prompt_name\": \"query\"} | prompt_name | 'prompt_name' is not supported",
    })
    void teiEmbedBadRequests(String body, String param, String expected) {
        assertContains(error(http.post("/embed", body), 400, param), expected);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{} | inputs                                                | 'inputs' is required",
        "{\"inputs\": []} | inputs                                  | not an empty array",
        "{\"inputs\": [\"a\", 2]} | inputs                          | inputs[1] must be a string, not an integer",
        "{\"inputs\": \"a\", \"add_special_tokens\": 0} | add_special_tokens | must be true or false",
    })
    void teiTokenizeBadRequests(String body, String param, String expected) {
        assertContains(error(http.post("/tokenize", body), 400, param), expected);
    }

    @Test
    void emptyBodyIsA400() {
        assertContains(error(http.post("/v1/embeddings", ""), 400, null), "the request body is empty");
    }

    @Test
    void tooManyInputsIsA400() {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i <= 2048; i++) {
            inputs.add("x");
        }
        assertContains(error(http.post("/v1/embeddings", Http.toJson(Map.of("input", inputs))), 400, "input"),
                "'input' has 2049 inputs; at most 2048");
    }

    @Test
    void deeplyNestedJsonIsA400() {
        String body = "{\"input\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertContains(error(http.post("/v1/embeddings", body), 400, null), "malformed JSON");
    }

    @Test
    void unknownModelIsA404() {
        String message = error(http.post("/v1/embeddings", "{\"input\":\"a\",\"model\":\"gpt-9\"}"), 404, "model");
        assertContains(message, "the model 'gpt-9' does not exist");
        assertEquals("model_not_found", Http.json(http.post("/v1/embeddings", "{\"input\":\"a\",\"model\":\"x\"}"))
                .get("error").get("code").asText());
        error(http.post("/embed", "{\"inputs\":\"a\",\"model\":\"x\"}"), 404, "model");
        error(http.get("/v1/models/gpt-9"), 404, "model");
    }

    @Test
    void unknownRouteIsA404AndWrongMethodA405() {
        assertContains(error(http.get("/v2/nothing"), 404, null), "no route GET /v2/nothing");
        HttpResponse<String> wrongMethod = http.get("/v1/embeddings");
        assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
        assertTrue(Http.json(wrongMethod).has("error"), wrongMethod.body());
    }

    @Test
    void bodyOverTheLimitIsA413WhetherDeclaredOrChunked() {
        String big = Http.toJson(Map.of("input", "x".repeat(BODY_LIMIT)));
        assertContains(error(http.post("/v1/embeddings", big), 413, null), "exceeds the limit of 65536 bytes");
        HttpRequest chunked = http.request("/v1/embeddings").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())))
                .build();
        error(http.send(chunked), 413, null);
        // a body just under the limit is fine
        String fits = Http.toJson(Map.of("input", "y ".repeat(BODY_LIMIT / 2 - 20)));
        assertEquals(200, http.post("/v1/embeddings", fits).statusCode());
    }

    @Test
    void inputOverTheMaximumLengthIsA422WhenTruncationIsOff() {
        String longText = "w ".repeat(20); // 22 tokens > 16
        String message = error(http.post("/embed", Http.toJson(Map.of("inputs", List.of("short", longText)))), 422,
                "inputs");
        assertContains(message, "input 1 has 22 tokens; the model takes at most 16");
        // token ids are checked by the model when the batch runs: same answer
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            ids.add(1000 + i);
        }
        assertContains(error(http.post("/embed", Http.toJson(Map.of("inputs", List.of(ids)))), 422, "inputs"),
                "input 0 has 17 tokens");
        assertEquals("context_length_exceeded", Http.json(http.post("/embed", Http.toJson(Map.of("inputs", longText))))
                .get("error").get("code").asText());
    }

    @Test
    void tokenIdOutsideTheVocabularyIsA400AndDoesNotFailOtherRequestsInItsBatch() throws Exception {
        MODEL.hold();
        try {
            CompletableFuture<HttpResponse<String>> warmup = http.postAsync("/v1/embeddings", "{\"input\":\"w\"}");
            while (MODEL.running.get() == 0) {
                Thread.sleep(5);
            }
            CompletableFuture<HttpResponse<String>> bad = http.postAsync("/v1/embeddings", "{\"input\":[[5],[40000]]}");
            CompletableFuture<HttpResponse<String>> good = http.postAsync("/v1/embeddings", "{\"input\":[[5],[6]]}");
            while (server.server().models().embeddingModels().getFirst().queueLength() < 2) {
                Thread.sleep(5);
            }
            int callsBefore = MODEL.calls.get();
            MODEL.open();
            assertEquals(200, warmup.get().statusCode());
            assertContains(error(bad.get(), 400, "input"), "token id 40000 is outside the vocabulary");
            assertEquals(200, good.get().statusCode(), good.get().body());
            assertEquals(2, Http.json(good.get()).get("data").size());
            // one merged call that failed, then each request alone
            assertEquals(3, MODEL.calls.get() - callsBefore);
        } finally {
            MODEL.open();
        }
    }
}
