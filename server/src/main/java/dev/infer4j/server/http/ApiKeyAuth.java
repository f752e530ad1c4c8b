package dev.infer4j.server.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Requires one of the configured API keys on every route except {@code /health} (and CORS preflights, which
 * browsers send without credentials), as {@code Authorization: Bearer KEY} or {@code X-Api-Key: KEY}.
 * Keys are compared as SHA-256 digests with {@link MessageDigest#isEqual}, and every key is compared, so the time
 * taken says nothing about how much of a key matched or which key it was.
 */
public final class ApiKeyAuth implements Handler {
    private final List<byte[]> keyDigests = new ArrayList<>();
    private final boolean corsEnabled;

    public ApiKeyAuth(List<String> keys, boolean corsEnabled) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no API keys");
        }
        for (String key : keys) {
            if (key.isBlank()) {
                throw new IllegalArgumentException("an API key must not be blank");
            }
            keyDigests.add(sha256(key));
        }
        this.corsEnabled = corsEnabled;
    }

    @Override
    public void handle(Context ctx) {
        if (ctx.path().equals("/health") || (corsEnabled && ctx.method() == HandlerType.OPTIONS)) {
            return;
        }
        String presented = presentedKey(ctx);
        if (presented == null) {
            throw ApiException.unauthorized("missing API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'");
        }
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] key : keyDigests) {
            match |= MessageDigest.isEqual(digest, key);
        }
        if (!match) {
            throw ApiException.unauthorized("invalid API key");
        }
    }

    private static String presentedKey(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        return ctx.header("X-Api-Key");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
