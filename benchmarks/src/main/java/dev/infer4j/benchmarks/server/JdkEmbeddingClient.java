package dev.infer4j.benchmarks.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The JDK's HttpClient: what a Java application would use; it costs the shared CPU more than the raw client. */
final class JdkEmbeddingClient implements EmbeddingClient {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    JdkEmbeddingClient(String base) {
        this.base = base;
    }

    @Override
    public void post(String path, String json) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
