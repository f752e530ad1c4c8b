package dev.infer4j.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code infer4j serve --model stories260K.gguf} as a real process beside an embedding model: both are listed,
 * the generator answers llama.cpp's greedy text, and SIGTERM lets a running stream finish before exiting 0.
 */
@Timeout(120)
class ServeGenerationProcessTest {
    private static final Pattern READY = Pattern.compile("ready: serving \\[(.*)] at (http://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path stories() {
        Path model = Path.of(System.getProperty("infer4j.shared.dir", "../shared"), "models", "stories260K",
                "stories260K.gguf");
        if (!Files.isRegularFile(model)) {
            throw new AssertionError("missing test model " + model);
        }
        return model;
    }

    @Test
    void servesAGeneratorBesideAnEmbeddingModelAndDrainsAStreamOnSigterm() throws Exception {
        JsonNode reference = JSON.readTree(stories().resolveSibling("reference/stories260K.once-upon-a-time.json")
                .toFile());
        Process p = ServeProcessTest.start("--port", "0", "--model", "fake-model", "--model", stories().toString(),
                "--parallel", "2", "--kv-cache-size", "1MB", "--threads", "1", "--shutdown-grace", "30s");
        List<String> all = new CopyOnWriteArrayList<>(); // read by assertions while the reader appends
        try {
            BlockingQueue<String> out = new LinkedBlockingQueue<>();
            Thread reader = ServeProcessTest.lines(p, all, out);
            String url = null;
            while (url == null) {
                String line = out.poll(30, TimeUnit.SECONDS);
                assertTrue(line != null, "no 'ready' line; output so far: " + all);
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    assertEquals("fake-model, stories260K", m.group(1));
                    url = m.group(2);
                }
            }
            // stories260K: 5 layers x 32 KV wide x 2 x 4 bytes = 1280 bytes per position; 1 MiB / 2 slots = 409
            assertTrue(all.stream().anyMatch(l -> l.contains("generator stories260K: 2 slots x 409 positions")),
                    all.toString());
            HttpClient client = HttpClient.newHttpClient();
            JsonNode models = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(url + "/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("fake-model", models.at("/data/0/id").asText(), models.toString());
            assertEquals("stories260K", models.at("/data/1/id").asText(), models.toString());
            assertEquals(409, models.at("/data/1/max_input_tokens").asInt(), models.toString());

            HttpResponse<String> greedy = client.send(post(url, "{\"prompt\":\"Once upon a time\",\"max_tokens\":32,"
                    + "\"temperature\":0,\"ignore_eos\":true}"), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, greedy.statusCode(), greedy.body());
            assertEquals(reference.get("generated_text").asText(), JSON.readTree(greedy.body())
                    .at("/choices/0/text").asText());

            // a long stream is running when SIGTERM comes: it must end normally, then the process exits 0
            HttpResponse<InputStream> stream = client.send(post(url, "{\"prompt\":\"Once upon a time\","
                    + "\"max_tokens\":400,\"temperature\":0,\"ignore_eos\":true,\"stream\":true}"),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode());
            BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            assertTrue(events.readLine().startsWith("data: {"));
            p.toHandle().destroy(); // SIGTERM
            for (String line = ""; !line.contains("SIGTERM received: draining"); ) {
                line = out.poll(30, TimeUnit.SECONDS);
                assertTrue(line != null, "no SIGTERM line; output so far: " + all);
            }
            // while the stream drains, new requests are refused (the handler may still be switching state)
            HttpResponse<String> refused;
            do {
                refused = client.send(post(url, "{\"prompt\":\"Once\",\"max_tokens\":1}"),
                        HttpResponse.BodyHandlers.ofString());
            } while (refused.statusCode() == 200);
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("shutting_down", JSON.readTree(refused.body()).at("/error/code").asText());
            String last = null;
            String finish = null;
            for (String line = events.readLine(); line != null; line = events.readLine()) {
                if (line.startsWith("data: {")) {
                    JsonNode chunk = JSON.readTree(line.substring(6));
                    if (chunk.at("/choices/0/finish_reason").isTextual()) {
                        finish = chunk.at("/choices/0/finish_reason").asText();
                    }
                }
                if (!line.isEmpty()) {
                    last = line;
                }
            }
            assertEquals("length", finish, "the stream ran to its max_tokens");
            assertEquals("data: [DONE]", last);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exited");
            reader.join(5000);
            assertEquals(0, p.exitValue(), String.join("\n", all));
            assertTrue(all.stream().anyMatch(l -> l.contains("SIGTERM received: draining")), all.toString());
            assertTrue(all.stream().anyMatch(l -> l.contains("server stopped") && !l.contains("grace period ran out")),
                    all.toString());
        } finally {
            p.destroyForcibly();
        }
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url + "/v1/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
