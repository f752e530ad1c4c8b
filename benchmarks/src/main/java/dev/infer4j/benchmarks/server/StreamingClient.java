package dev.infer4j.benchmarks.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One streamed {@code /v1/completions} call as a client sees it: when it was sent, when each text chunk arrived,
 * and how many tokens the server counted (the usage chunk).
 */
final class StreamingClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param sentNanos    when the request was sent
     * @param chunkNanos   arrival of each chunk that carried text, in order
     * @param chunks       how many of {@code chunkNanos} are filled
     * @param tokens       completion tokens the server reported
     */
    record Stream(long sentNanos, long[] chunkNanos, int chunks, int tokens) {
        long ttftNanos() {
            return chunkNanos[0] - sentNanos;
        }

        long endNanos() {
            return chunkNanos[chunks - 1];
        }

        /** Tokens after the first, per second of decoding. */
        double decodeTokensPerSecond() {
            return (tokens - 1) / ((endNanos() - chunkNanos[0]) / 1e9);
        }
    }

    private StreamingClient() {
    }

    static Stream complete(String url, String prompt, int maxTokens) throws IOException, InterruptedException {
        String body = JSON.createObjectNode().put("prompt", prompt).put("max_tokens", maxTokens).put("temperature", 0)
                .put("ignore_eos", true).put("stream", true)
                .set("stream_options", JSON.createObjectNode().put("include_usage", true)).toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long[] arrivals = new long[maxTokens + 8];
        int chunks = 0;
        int tokens = -1;
        long sent = System.nanoTime();
        HttpResponse<InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                long now = System.nanoTime();
                if (!line.startsWith("data: {")) {
                    continue;
                }
                JsonNode chunk = JSON.readTree(line.substring(6));
                if (chunk.has("usage")) {
                    tokens = chunk.at("/usage/completion_tokens").asInt();
                } else if (!chunk.at("/choices/0/text").asText("").isEmpty() && chunks < arrivals.length) {
                    arrivals[chunks++] = now;
                }
            }
        }
        if (tokens < 2 || chunks < 2) {
            throw new IOException("the stream ended early: " + chunks + " chunks, " + tokens + " tokens");
        }
        return new Stream(sent, arrivals, chunks, tokens);
    }
}
