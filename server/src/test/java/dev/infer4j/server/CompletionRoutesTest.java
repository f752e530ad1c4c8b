package dev.infer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.server.model.ServedModels;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /v1/completions and /v1/chat/completions over real HTTP on stories260K, against llama.cpp's greedy continuation. */
class CompletionRoutesTest {
    private static JsonNode reference;
    private static TestServer server;

    static TestServer startGenerating(int parallel, int maxQueued, int context) {
        return GeneratingServer.start(parallel, maxQueued, context);
    }

    @BeforeAll
    static void start() {
        reference = GeneratingServer.onceUponATimeReference();
        server = startGenerating(8, 32, 256);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String greedyBody(boolean stream) {
        return "{\"model\":\"stories260K\",\"prompt\":\"Once upon a time\",\"max_tokens\":32,\"temperature\":0,"
                + "\"ignore_eos\":true,\"stream\":" + stream + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
    }

    @Test
    void greedyCompletionEqualsLlamaCpp() {
        HttpResponse<String> r = server.http().post("/v1/completions", greedyBody(false));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode json = Http.json(r);
        assertEquals(reference.get("generated_text").asText(), json.at("/choices/0/text").asText());
        assertEquals("length", json.at("/choices/0/finish_reason").asText());
        assertEquals("text_completion", json.get("object").asText());
        assertEquals(5, json.at("/usage/prompt_tokens").asInt());
        assertEquals(32, json.at("/usage/completion_tokens").asInt());
        assertEquals(37, json.at("/usage/total_tokens").asInt());
        assertTrue(json.at("/timings/predicted_n").asInt() == 32, json.toString());
    }

    /** The SSE events of a streamed response, checked for OpenAI's framing; returns the JSON chunks. */
    static List<JsonNode> events(String body) throws Exception {
        assertTrue(body.endsWith("data: [DONE]\n\n"), body);
        List<JsonNode> chunks = new ArrayList<>();
        String[] events = body.split("\n\n");
        for (int i = 0; i < events.length - 1; i++) {
            assertTrue(events[i].startsWith("data: {"), "event " + i + ": " + events[i]);
            chunks.add(Http.JSON.readTree(events[i].substring(6)));
        }
        String id = chunks.getFirst().get("id").asText();
        for (JsonNode c : chunks) {
            assertEquals(id, c.get("id").asText(), "every chunk carries the same id");
        }
        return chunks;
    }

    static String streamedText(List<JsonNode> chunks, boolean chat) {
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks) {
            JsonNode choice = c.at("/choices/0");
            if (!choice.isMissingNode()) {
                text.append(chat ? choice.at("/delta/content").asText("") : choice.get("text").asText());
            }
        }
        return text.toString();
    }

    @Test
    void streamEqualsWholeAnswerAndEndsWithFinishUsageAndDone() throws Exception {
        HttpResponse<String> r = server.http().post("/v1/completions", greedyBody(true));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<JsonNode> chunks = events(r.body());
        assertEquals(reference.get("generated_text").asText(), streamedText(chunks, false));
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertEquals("length", finish.at("/choices/0/finish_reason").asText());
        JsonNode usage = chunks.getLast();
        assertEquals(0, usage.get("choices").size());
        assertEquals(32, usage.at("/usage/completion_tokens").asInt());
        for (int i = 0; i < chunks.size() - 2; i++) {
            assertTrue(chunks.get(i).at("/choices/0/finish_reason").isNull(), "only the last choice chunk finishes");
        }
    }

    @Test
    void concurrentStreamingClientsAllGetTheReference() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            calls.add(server.http().postAsync("/v1/completions", greedyBody(true)));
        }
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            HttpResponse<String> r = c.get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(reference.get("generated_text").asText(), streamedText(events(r.body()), false));
        }
    }

    @Test
    void sameSeedSameTextAcrossConcurrency() throws Exception {
        String body = "{\"prompt\":\"Once upon a time\",\"max_tokens\":40,\"temperature\":1.0,\"seed\":42}";
        String alone = Http.json(server.http().post("/v1/completions", body)).at("/choices/0/text").asText();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(server.http().postAsync("/v1/completions", body));
        }
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            assertEquals(alone, Http.json(c.get()).at("/choices/0/text").asText());
        }
    }

    @Test
    void modelsListTheGenerator() {
        JsonNode list = Http.json(server.http().get("/v1/models"));
        assertEquals("stories260K", list.at("/data/0/id").asText(), list.toString());
        assertEquals(256, list.at("/data/0/max_input_tokens").asInt());
        assertEquals(200, server.http().get("/v1/models/stories260K").statusCode());
    }

    @Test
    void metricsCountGeneratedTokensAndBatches() {
        double before = metric("infer4j_generated_tokens_total{model=\"stories260K\"}");
        assertEquals(200, server.http().post("/v1/completions", greedyBody(false)).statusCode());
        String scrape = server.http().get("/metrics").body();
        assertEquals(before + 32, metric("infer4j_generated_tokens_total{model=\"stories260K\"}"), scrape);
        for (String name : List.of("infer4j_generation_queue_length", "infer4j_generation_running_sequences",
                "infer4j_generation_batch_sequences_bucket", "infer4j_time_to_first_token_seconds_count",
                "infer4j_inter_token_latency_seconds_count", "infer4j_generation_e2e_seconds_count",
                "infer4j_generation_queue_time_seconds_count", "infer4j_prompt_tokens_total")) {
            assertTrue(scrape.contains(name), name + " missing from " + scrape);
        }
    }

    private static double metric(String series) {
        for (String line : server.http().get("/metrics").body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private static void assertError(int status, String path, String body, String messagePart) {
        HttpResponse<String> r = server.http().post(path, body);
        assertEquals(status, r.statusCode(), body + " -> " + r.body());
        JsonNode error = Http.json(r).get("error");
        assertNotNull(error, r.body());
        assertTrue(error.get("message").asText().contains(messagePart), body + " -> " + r.body());
    }

    @Test
    void badRequestsGetOpenAiErrors() {
        String c = "/v1/completions";
        String chat = "/v1/chat/completions";
        assertError(400, c, "{\"prompt\":", "JSON");
        assertError(400, c, "[1,2]", "object");
        assertError(400, c, "{}", "'prompt' is required");
        assertError(400, c, "{\"prompt\":5}", "'prompt' must be");
        assertError(400, c, "{\"prompt\":\"x\",\"max_tokens\":0}", "'max_tokens'");
        assertError(400, c, "{\"prompt\":\"x\",\"max_tokens\":\"9\"}", "must be an integer");
        assertError(400, c, "{\"prompt\":\"x\",\"max_tokens\":1000}", "n_ctx=256");
        assertError(400, c, "{\"prompt\":\"x\",\"temperature\":-1}", "'temperature'");
        assertError(400, c, "{\"prompt\":\"x\",\"top_p\":0}", "'top_p'");
        assertError(400, c, "{\"prompt\":\"x\",\"top_p\":1.5}", "'top_p'");
        assertError(400, c, "{\"prompt\":\"x\",\"n\":0}", "'n'");
        assertError(400, c, "{\"prompt\":\"x\",\"stop\":3}", "'stop'");
        assertError(400, c, "{\"prompt\":\"x\",\"stream\":\"yes\"}", "'stream'");
        assertError(400, c, "{\"prompt\":\"x\",\"logit_bias\":{\"100000\":1}}", "outside the vocabulary");
        assertError(404, c, "{\"model\":\"gpt-9\",\"prompt\":\"x\"}", "gpt-9");
        assertError(400, c, "{\"prompt\":\"" + "story ".repeat(300) + "\"}", "n_prompt_tokens=");
        assertError(400, chat, "{\"messages\":[]}", "at least one message");
        assertError(400, chat, "{\"messages\":\"hi\"}", "'messages' must be an array");
        assertError(400, chat, "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", "unknown role 'wizard'");
        assertError(400, chat, "{\"messages\":[{\"role\":\"user\"}]}", "content' is required");
        // stories260K has no chat template: a clear 400, not a 500
        assertError(400, chat, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "chat_template");
        assertError(413, c, "{\"prompt\":\"" + "a".repeat(3 * 1024 * 1024) + "\"}", "exceeds");
    }

    @Test
    void overloadGives429WhileHealthStaysUpAndADisconnectFreesTheSlot() throws Exception {
        try (TestServer small = startGenerating(1, 0, 4096)) {
            String longBody = "{\"prompt\":\"Once upon a time\",\"max_tokens\":4000,\"temperature\":0,\"ignore_eos\":true,\"stream\":true}";
            HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(small.http().request("/v1/completions")
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(longBody))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode());
            BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            assertTrue(lines.readLine().startsWith("data: {"));
            HttpResponse<String> refused = small.http().post("/v1/completions", "{\"prompt\":\"Once\",\"max_tokens\":4}");
            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            assertEquals(200, small.http().get("/health").statusCode());
            stream.body().close(); // the client leaves mid-stream
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int status;
            do {
                status = small.http().post("/v1/completions", "{\"prompt\":\"Once\",\"max_tokens\":4}").statusCode();
            } while (status == 429 && System.nanoTime() < deadline);
            assertEquals(200, status, "the slot of the client that left is free again");
            assertFalse(small.server().models().state() != ServedModels.State.READY);
        }
    }
}
