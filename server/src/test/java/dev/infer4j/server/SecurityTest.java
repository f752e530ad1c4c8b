package dev.infer4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** API keys (401 without a valid one, except on /health) and CORS (off unless origins are configured). */
@Timeout(60)
class SecurityTest {
    private static final FakeEmbeddingModel MODEL = new FakeEmbeddingModel("fake", 4, 16);

    private static UnaryOperator<ServerConfig> with(List<String> keys, List<String> origins) {
        return c -> new ServerConfig(c.host(), c.port(), c.maxBodyBytes(), c.batchLimits(), c.requestTimeout(),
                c.shutdownGrace(), keys, origins, c.accessLog());
    }

    private static HttpResponse<String> get(Http http, String path, String header, String value) {
        return http.send(http.request(path).header(header, value).GET().build());
    }

    @Test
    void everyRouteButHealthNeedsAValidKey() {
        try (TestServer s = TestServer.start(MODEL, with(List.of("key-one", "key-two"), List.of()))) {
            Http http = s.http();
            assertEquals(200, http.get("/health").statusCode());

            HttpResponse<String> missing = http.get("/v1/models");
            ErrorResponsesTest.assertContains(ErrorResponsesTest.error(missing, 401, null), "missing API key");
            assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElseThrow());
            assertEquals("invalid_api_key", Http.json(missing).get("error").get("code").asText());
            ErrorResponsesTest.assertContains(ErrorResponsesTest.error(
                    get(http, "/v1/models", "Authorization", "Bearer key-three"), 401, null), "invalid API key");
            ErrorResponsesTest.error(get(http, "/v1/models", "Authorization", "Bearer key-on"), 401, null);
            ErrorResponsesTest.error(get(http, "/v1/models", "Authorization", "Bearer key-one-more"), 401, null);
            ErrorResponsesTest.error(get(http, "/v1/models", "Authorization", "Basic key-one"), 401, null);
            ErrorResponsesTest.error(get(http, "/metrics", "X-Api-Key", "wrong"), 401, null);
            ErrorResponsesTest.error(http.get("/no/such/route"), 401, null);
            ErrorResponsesTest.error(http.post("/v1/embeddings", "{\"input\":\"x\"}"), 401, null);

            assertEquals(200, get(http, "/v1/models", "Authorization", "Bearer key-one").statusCode());
            assertEquals(200, get(http, "/v1/models", "Authorization", "bearer key-two").statusCode());
            assertEquals(200, get(http, "/metrics", "X-Api-Key", "key-two").statusCode());
            HttpResponse<String> embedded = http.send(http.request("/v1/embeddings")
                    .header("Authorization", "Bearer key-one")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"input\":\"x\"}")).build());
            assertEquals(200, embedded.statusCode(), embedded.body());
        }
    }

    @Test
    void corsHeadersOnlyForConfiguredOrigins() {
        try (TestServer s = TestServer.start(MODEL, with(List.of("k"), List.of("https://app.example")))) {
            Http http = s.http();
            HttpResponse<String> allowed = http.send(http.request("/v1/models").header("Origin", "https://app.example")
                    .header("X-Api-Key", "k").GET().build());
            assertEquals(200, allowed.statusCode());
            assertEquals("https://app.example", allowed.headers().firstValue("Access-Control-Allow-Origin")
                    .orElseThrow());
            assertEquals("Origin", allowed.headers().firstValue("Vary").orElseThrow());

            HttpResponse<String> other = http.send(http.request("/v1/models").header("Origin", "https://evil.example")
                    .header("X-Api-Key", "k").GET().build());
            assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());

            // a preflight carries no credentials and must still pass
            HttpResponse<String> preflight = http.send(http.request("/v1/embeddings")
                    .header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization, content-type")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(204, preflight.statusCode(), preflight.body());
            assertEquals("https://app.example", preflight.headers().firstValue("Access-Control-Allow-Origin")
                    .orElseThrow());
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("POST"));
            assertEquals("authorization, content-type", preflight.headers()
                    .firstValue("Access-Control-Allow-Headers").orElseThrow());
        }
    }

    @Test
    void wildcardOriginAllowsAnyOrigin() {
        try (TestServer s = TestServer.start(MODEL, with(List.of(), List.of("*")))) {
            HttpResponse<String> r = get(s.http(), "/health", "Origin", "https://anything.example");
            assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        }
    }
}
