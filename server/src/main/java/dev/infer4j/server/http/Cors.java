package dev.infer4j.server.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Set;

/**
 * Cross-origin access for browsers, off unless origins are configured ({@code --cors-origin}, {@code *} for any).
 * Adds the CORS headers for an allowed {@code Origin} and answers preflight requests with 204.
 */
public final class Cors implements Handler {
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Api-Key, X-Request-Id";
    private final Set<String> origins;
    private final boolean anyOrigin;

    public Cors(List<String> origins) {
        this.origins = Set.copyOf(origins);
        this.anyOrigin = this.origins.contains("*");
    }

    @Override
    public void handle(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !(anyOrigin || origins.contains(origin))) {
            return; // without the headers, the browser refuses the response
        }
        ctx.header("Access-Control-Allow-Origin", anyOrigin ? "*" : origin);
        if (!anyOrigin) {
            ctx.header("Vary", "Origin");
        }
        ctx.header("Access-Control-Expose-Headers", RequestIds.HEADER + ", Retry-After");
        if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            String requested = ctx.header("Access-Control-Request-Headers");
            ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            ctx.header("Access-Control-Allow-Headers", requested != null ? requested : ALLOWED_HEADERS);
            ctx.header("Access-Control-Max-Age", "600");
        }
    }

    /** The endpoint that answers preflights (the headers were set by {@link #handle}). */
    public static void preflight(Context ctx) {
        ctx.status(204);
    }
}
