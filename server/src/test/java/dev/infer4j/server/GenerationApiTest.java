package dev.infer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.engine.generate.ChatTemplate;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The generation API beyond plain text, over real HTTP on stories260K: log-probabilities against the log-softmax of
 * llama.cpp's logits, {@code n} choices, chat (with the Llama 2 template forced, since the model has none),
 * usage chunks, llama.cpp-style /tokenize and /detokenize against llama.cpp's tokens, error details, timeouts,
 * API keys and metrics.
 */
@Timeout(120)
class GenerationApiTest {
    private static JsonNode reference;
    private static TestServer server;

    @BeforeAll
    static void start() {
        reference = GeneratingServer.onceUponATimeReference();
        server = GeneratingServer.start(4, 16, 256, Duration.ofMinutes(1), ChatTemplate.LLAMA2, c -> c);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r);
    }

    /** log-softmax of llama.cpp's full logits at generation step {@code step}, for token {@code id}. */
    private static double referenceLogprob(int step, int id) {
        JsonNode logits = reference.get("full_logits").get(step);
        double max = Double.NEGATIVE_INFINITY;
        for (JsonNode l : logits) {
            max = Math.max(max, l.asDouble());
        }
        double sum = 0;
        for (JsonNode l : logits) {
            sum += Math.exp(l.asDouble() - max);
        }
        return logits.get(id).asDouble() - max - Math.log(sum);
    }

    private static String greedy(boolean stream, String extra) {
        return "{\"prompt\":\"Once upon a time\",\"max_tokens\":32,\"temperature\":0,\"ignore_eos\":true,\"stream\":"
                + stream + extra + "}";
    }

    @Test
    void completionLogprobsAreTheLogSoftmaxOfLlamaCppsLogits() throws Exception {
        JsonNode r = ok(server.http().post("/v1/completions", greedy(false, ",\"logprobs\":3")));
        JsonNode lp = r.at("/choices/0/logprobs");
        assertEquals(32, lp.get("tokens").size(), lp.toString());
        String text = r.at("/choices/0/text").asText();
        assertEquals(reference.get("generated_text").asText(), text);
        int offset = 0;
        for (int step = 0; step < 32; step++) {
            int id = reference.get("generated_tokens").get(step).asInt();
            String piece = reference.get("generated_pieces").get(step).asText();
            assertEquals(piece, lp.get("tokens").get(step).asText(), "token " + step);
            assertEquals(referenceLogprob(step, id), lp.get("token_logprobs").get(step).asDouble(), 1e-2, "step " + step);
            assertEquals(offset, lp.get("text_offset").get(step).asInt());
            offset += piece.length();
            JsonNode top = lp.get("top_logprobs").get(step);
            assertEquals(3, top.size(), top.toString());
            JsonNode refTop = reference.at("/step_top/" + step + "/top");
            // the best alternative is the greedy token itself; the values follow llama.cpp's top-3 logits
            assertEquals(lp.get("token_logprobs").get(step).asDouble(), top.get(piece).asDouble(), 1e-6);
            List<Double> values = new ArrayList<>();
            top.properties().forEach(e -> values.add(e.getValue().asDouble()));
            for (int k = 0; k < values.size(); k++) {
                assertEquals(referenceLogprob(step, refTop.get(k).get(0).asInt()), values.get(k), 1e-2,
                        "step " + step + " alternative " + k);
            }
        }
        // streamed: the same tokens and values, spread over the chunks
        HttpResponse<String> streamed = server.http().post("/v1/completions", greedy(true, ",\"logprobs\":3"));
        List<Double> fromStream = new ArrayList<>();
        for (JsonNode c : CompletionRoutesTest.events(streamed.body())) {
            JsonNode chunkLp = c.at("/choices/0/logprobs/token_logprobs");
            chunkLp.forEach(v -> fromStream.add(v.asDouble()));
        }
        assertEquals(32, fromStream.size());
        for (int step = 0; step < 32; step++) {
            assertEquals(lp.get("token_logprobs").get(step).asDouble(), fromStream.get(step), 0.0);
        }
    }

    @Test
    void stopStringsAndEndOfSequenceFinishWithStopUnlessEosIsIgnored() {
        JsonNode stopped = ok(server.http().post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":32,"
                + "\"temperature\":0,\"stop\":[\" Lily\",\"xyz\"]}"));
        assertEquals(", there was a little girl named", stopped.at("/choices/0/text").asText(), "llama.cpp's text up to ' Lily'");
        assertEquals("stop", stopped.at("/choices/0/finish_reason").asText());
        // the end-of-sequence token (</s>, id 2) made certain by a logit bias: it ends the answer unless ignored
        String eos = "{\"prompt\":\"Once upon a time\",\"max_tokens\":5,\"temperature\":0,\"logit_bias\":{\"2\":100}";
        JsonNode ended = ok(server.http().post("/v1/completions", eos + "}"));
        assertEquals("stop", ended.at("/choices/0/finish_reason").asText(), ended.toString());
        assertEquals(0, ended.at("/usage/completion_tokens").asInt(), ended.toString());
        assertEquals("", ended.at("/choices/0/text").asText());
        JsonNode ignored = ok(server.http().post("/v1/completions", eos + ",\"ignore_eos\":true}"));
        assertEquals("length", ignored.at("/choices/0/finish_reason").asText(), ignored.toString());
        assertEquals(5, ignored.at("/usage/completion_tokens").asInt(), ignored.toString());
    }

    @Test
    void aRepeatedPromptIsServedFromTheCacheWithTheSameText() {
        try (TestServer single = GeneratingServer.start(1, 2, 256)) {
            String body = Http.toJson(Map.of("prompt", "Once upon a time" + reference.get("generated_text").asText(),
                    "max_tokens", 16, "temperature", 0, "ignore_eos", true));
            JsonNode first = ok(single.http().post("/v1/completions", body));
            JsonNode second = ok(single.http().post("/v1/completions", body));
            int prompt = first.at("/usage/prompt_tokens").asInt();
            assertEquals(0, first.at("/usage/prompt_tokens_details/cached_tokens").asInt());
            assertEquals(prompt, first.at("/timings/prompt_n").asInt());
            assertEquals(prompt - 1, second.at("/usage/prompt_tokens_details/cached_tokens").asInt(), second.toString());
            assertEquals(prompt - 1, second.at("/timings/cache_n").asInt());
            assertEquals(1, second.at("/timings/prompt_n").asInt());
            assertEquals(first.at("/choices/0/text").asText(), second.at("/choices/0/text").asText());
        }
    }

    @Test
    void noLogprobsUnlessAsked() {
        JsonNode r = ok(server.http().post("/v1/completions", greedy(false, "")));
        assertTrue(r.at("/choices/0/logprobs").isNull(), r.toString());
    }

    @Test
    void chatStreamsTheRoleFirstAndMatchesTheWholeAnswerWithLogprobs() throws Exception {
        String messages = "\"messages\":[{\"role\":\"system\",\"content\":\"Tell a story.\"},"
                + "{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":20,\"temperature\":0,"
                + "\"ignore_eos\":true,\"logprobs\":true,\"top_logprobs\":2";
        JsonNode whole = ok(server.http().post("/v1/chat/completions", "{" + messages + "}"));
        assertEquals("chat.completion", whole.get("object").asText());
        assertEquals("assistant", whole.at("/choices/0/message/role").asText());
        String text = whole.at("/choices/0/message/content").asText();
        JsonNode content = whole.at("/choices/0/logprobs/content");
        assertEquals(20, content.size(), whole.toString());
        StringBuilder fromTokens = new StringBuilder();
        for (JsonNode t : content) {
            fromTokens.append(t.get("token").asText());
            assertEquals(2, t.get("top_logprobs").size());
            assertEquals(t.get("logprob").asDouble(), t.at("/top_logprobs/0/logprob").asDouble(), 1e-6, "greedy = top 1");
            assertTrue(t.at("/top_logprobs/0/logprob").asDouble() >= t.at("/top_logprobs/1/logprob").asDouble());
            assertTrue(t.get("logprob").asDouble() <= 0);
            assertEquals(t.get("token").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                    t.get("bytes").size());
        }
        assertEquals(text, fromTokens.toString());

        HttpResponse<String> r = server.http().post("/v1/chat/completions", "{" + messages + ",\"stream\":true}");
        List<JsonNode> chunks = CompletionRoutesTest.events(r.body());
        assertEquals("chat.completion.chunk", chunks.getFirst().get("object").asText());
        assertEquals("assistant", chunks.getFirst().at("/choices/0/delta/role").asText());
        assertEquals(text, CompletionRoutesTest.streamedText(chunks, true));
        int tokens = 0;
        for (JsonNode c : chunks) {
            tokens += c.at("/choices/0/logprobs/content").size();
        }
        assertEquals(20, tokens);
        assertEquals("length", chunks.getLast().at("/choices/0/finish_reason").asText());
        assertFalse(chunks.getLast().has("usage"), "no usage chunk unless stream_options.include_usage");
        assertTrue(chunks.getLast().has("timings"), "llama.cpp-style timings on the last chunk");
    }

    @Test
    void nChoicesSampleWithSeedPlusIndex() {
        String base = "\"prompt\":\"Once upon a time\",\"max_tokens\":24,\"temperature\":1.0";
        JsonNode three = ok(server.http().post("/v1/completions", "{" + base + ",\"seed\":42,\"n\":3}"));
        assertEquals(3, three.get("choices").size());
        int tokens = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(i, three.at("/choices/" + i + "/index").asInt());
            String alone = ok(server.http().post("/v1/completions", "{" + base + ",\"seed\":" + (42 + i) + "}"))
                    .at("/choices/0/text").asText();
            assertEquals(alone, three.at("/choices/" + i + "/text").asText(), "choice " + i);
        }
        assertNotEquals(three.at("/choices/0/text").asText(), three.at("/choices/1/text").asText());
        assertEquals(5, three.at("/usage/prompt_tokens").asInt());
        assertTrue(three.at("/usage/completion_tokens").asInt() > 24, "three choices' tokens: " + three.get("usage"));
    }

    @Test
    void tokenizeAndDetokenizeGiveLlamaCppsTokens() {
        JsonNode ids = ok(server.http().post("/tokenize", "{\"content\":\"Once upon a time\",\"add_special\":true}"));
        assertEquals(reference.get("prompt_tokens"), ids.get("tokens"));
        JsonNode pieces = ok(server.http().post("/tokenize", "{\"content\":\"Once upon a time\",\"with_pieces\":true}"));
        for (int i = 0; i < 4; i++) {
            assertEquals(reference.at("/prompt_tokens/" + (i + 1)).asInt(), pieces.at("/tokens/" + i + "/id").asInt());
            assertEquals(reference.at("/prompt_pieces/" + (i + 1)).asText(), pieces.at("/tokens/" + i + "/piece").asText());
        }
        JsonNode text = ok(server.http().post("/detokenize", Http.toJson(Map.of("tokens",
                reference.get("generated_tokens")))));
        assertEquals(reference.get("generated_text").asText(), text.get("content").asText());
        JsonNode roundTrip = ok(server.http().post("/detokenize", Http.toJson(Map.of("tokens", ids.get("tokens")))));
        assertEquals("Once upon a time", roundTrip.get("content").asText().replace("<s>", "").strip());
    }

    private static void assertError(int status, String path, String body, String messagePart) {
        HttpResponse<String> r = server.http().post(path, body);
        assertEquals(status, r.statusCode(), body + " -> " + r.body());
        String message = Http.json(r).at("/error/message").asText();
        assertTrue(message.contains(messagePart), body + " -> " + r.body());
    }

    @Test
    void badGenerationAndTokenRequestsNameTheProblem() {
        String c = "/v1/completions";
        String chat = "/v1/chat/completions";
        assertError(400, c, "{\"prompt\":\"x\",\"logprobs\":6}", "'logprobs' must be an integer from 0 to 5");
        assertError(400, c, "{\"prompt\":\"x\",\"logprobs\":true}", "'logprobs' must be an integer");
        assertError(400, chat, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_logprobs\":2}",
                "'top_logprobs' needs 'logprobs': true");
        assertError(400, chat, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"logprobs\":true,"
                + "\"top_logprobs\":21}", "'top_logprobs' must be an integer from 0 to 20");
        assertError(400, c, "{\"prompt\":\"x\",\"stream_options\":5}", "'stream_options' must be an object");
        assertError(400, c, "{\"prompt\":\"x\",\"ignore_eos\":\"yes\"}", "'ignore_eos'");
        assertError(400, c, "{\"prompt\":\"x\",\"n\":17}", "'n' must be from 1 to 16");
        assertError(400, c, "{\"prompt\":\"x\",\"n\":-1}", "'n'");
        assertError(400, c, "{\"prompt\":[3, 999]}", "array of token ids from 0 to 511");
        assertError(400, c, "{\"prompt\":[]}", "non-empty");
        assertError(400, chat, "{\"messages\":[{\"role\":\"user\",\"content\":7}]}", "a string or an array of text parts");
        assertError(400, chat, "{\"messages\":[5]}", "'messages[0]' must be an object");
        assertError(400, "/tokenize", "{\"content\":5}", "'content' must be a string");
        assertError(400, "/detokenize", "{\"tokens\":[1,512]}", "tokens[1] must be a token id from 0 to 511");
        assertError(400, "/detokenize", "{\"tokens\":\"1\"}", "'tokens' must be an array");
        assertError(400, "/detokenize", "{}", "'tokens' is required");
        assertError(404, "/detokenize", "{\"tokens\":[1],\"model\":\"nope\"}", "nope");
    }

    @Test
    void maxTokensBeyondTheContextIsA400WithPromptAndContextSizes() {
        HttpResponse<String> r = server.http().post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":300}");
        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = Http.json(r).get("error");
        assertEquals(5, error.get("n_prompt_tokens").asInt(), r.body());
        assertEquals(256, error.get("n_ctx").asInt(), r.body());
        assertEquals("context_length_exceeded", error.get("code").asText());
        assertEquals("max_tokens", error.get("param").asText());
        assertTrue(error.get("message").asText().contains("exceed the context of 256 tokens"), r.body());

        String longText = "Once upon a time ".repeat(80);
        int promptTokens = ok(server.http().post("/tokenize", Http.toJson(Map.of("content", longText,
                "add_special", true)))).get("tokens").size();
        assertTrue(promptTokens > 300, "tokens: " + promptTokens);
        HttpResponse<String> longPrompt = server.http().post("/v1/completions", Http.toJson(Map.of("prompt", longText)));
        assertEquals(400, longPrompt.statusCode(), longPrompt.body());
        JsonNode e2 = Http.json(longPrompt).get("error");
        assertEquals(promptTokens, e2.get("n_prompt_tokens").asInt(), longPrompt.body());
        assertEquals("prompt", e2.get("param").asText());
        assertTrue(e2.get("message").asText().contains("the prompt has " + promptTokens + " tokens but the context holds 256"));
    }

    @Test
    void requestPastItsDeadlineIsA503AndFreesItsSlot() {
        try (TestServer quick = GeneratingServer.start(1, 2, 4096, Duration.ofMillis(300), null, c -> c)) {
            HttpResponse<String> r = quick.http().post("/v1/completions",
                    "{\"prompt\":\"Once upon a time\",\"max_tokens\":4000,\"ignore_eos\":true,\"temperature\":0}");
            assertEquals(503, r.statusCode(), r.body());
            assertEquals("timeout", Http.json(r).at("/error/code").asText(), r.body());
            assertTrue(Http.json(r).at("/error/message").asText().contains("did not finish within 300 ms"), r.body());
            assertEquals(200, quick.http().post("/v1/completions", "{\"prompt\":\"Once\",\"max_tokens\":4}").statusCode());
            // streamed: the 200 is sent, so the failure comes as an error event and the stream ends without [DONE]
            HttpResponse<String> stream = quick.http().post("/v1/completions",
                    "{\"prompt\":\"Once upon a time\",\"max_tokens\":4000,\"ignore_eos\":true,\"stream\":true}");
            assertEquals(200, stream.statusCode());
            String[] events = stream.body().split("\n\n");
            String last = events[events.length - 1];
            assertTrue(last.startsWith("data: {\"error\":"), last);
            assertTrue(last.contains("did not finish within 300 ms"), last);
            assertFalse(stream.body().contains("[DONE]"));
        }
    }

    @Test
    void apiKeyGuardsGenerationAndTokenRoutesButNotHealth() {
        try (TestServer guarded = GeneratingServer.start(1, 2, 256, Duration.ofMinutes(1), null,
                c -> new ServerConfig(c.host(), c.port(), c.maxBodyBytes(), c.batchLimits(), c.requestTimeout(),
                        c.shutdownGrace(), List.of("s3cret"), c.corsOrigins(), c.accessLog()))) {
            String body = "{\"prompt\":\"Once\",\"max_tokens\":4}";
            for (String path : List.of("/v1/completions", "/tokenize", "/detokenize")) {
                String b = path.equals("/tokenize") ? "{\"content\":\"Once\"}" : path.equals("/detokenize")
                        ? "{\"tokens\":[403]}" : body;
                HttpResponse<String> none = guarded.http().post(path, b);
                assertEquals(401, none.statusCode(), path);
                assertEquals("invalid_api_key", Http.json(none).at("/error/code").asText());
                HttpResponse<String> wrong = guarded.http().send(guarded.http().request(path)
                        .header("Authorization", "Bearer nope").POST(java.net.http.HttpRequest.BodyPublishers.ofString(b))
                        .build());
                assertEquals(401, wrong.statusCode(), path);
                HttpResponse<String> right = guarded.http().send(guarded.http().request(path)
                        .header("Authorization", "Bearer s3cret").POST(java.net.http.HttpRequest.BodyPublishers.ofString(b))
                        .build());
                assertEquals(200, right.statusCode(), path + " " + right.body());
                HttpResponse<String> header = guarded.http().send(guarded.http().request(path)
                        .header("X-Api-Key", "s3cret").POST(java.net.http.HttpRequest.BodyPublishers.ofString(b)).build());
                assertEquals(200, header.statusCode(), path);
            }
            assertEquals(200, guarded.http().get("/health").statusCode());
        }
    }

    private static double metric(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    @Test
    void metricsCountWhatWasSent() {
        try (TestServer counted = GeneratingServer.start(2, 4, 256)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, counted.http().post("/v1/completions", greedy(false, "")).statusCode());
            }
            assertEquals(200, counted.http().post("/v1/completions", greedy(true, "")).statusCode());
            assertEquals(400, counted.http().post("/v1/completions", "{\"prompt\":\"x\",\"n\":0}").statusCode());
            String scrape = counted.http().get("/metrics").body();
            assertEquals(4 * 32, metric(scrape, "infer4j_generated_tokens_total{model=\"stories260K\"}"), scrape);
            assertEquals(4 * 5, metric(scrape, "infer4j_prompt_tokens_total{model=\"stories260K\"}"), scrape);
            assertEquals(4, metric(scrape, "infer4j_http_requests_total{route=\"/v1/completions\",method=\"POST\",status=\"200\"}"),
                    scrape);
            assertEquals(1, metric(scrape, "infer4j_http_requests_total{route=\"/v1/completions\",method=\"POST\",status=\"400\"}"),
                    scrape);
            assertEquals(4, metric(scrape, "infer4j_time_to_first_token_seconds_count{model=\"stories260K\"}"), scrape);
            assertEquals(4 * 31, metric(scrape, "infer4j_inter_token_latency_seconds_count{model=\"stories260K\"}"), scrape);
            assertEquals(4, metric(scrape, "infer4j_generation_e2e_seconds_count{model=\"stories260K\"}"), scrape);
            assertEquals(0, metric(scrape, "infer4j_generation_running_sequences{model=\"stories260K\"}"), scrape);
            assertEquals(0, metric(scrape, "infer4j_generation_queue_length{model=\"stories260K\"}"), scrape);
        }
    }
}
