package dev.infer4j.server.http;

import dev.infer4j.server.metrics.ServerMetrics;
import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Called once per finished request (after async work too): counts it in the metrics and writes one structured
 * access-log line in logfmt ({@code key=value}), e.g.
 * {@code request_id=1f… method=POST path=/v1/embeddings status=200 duration_ms=4.81 bytes_in=58 remote=127.0.0.1}.
 */
public final class AccessLog implements RequestLogger {
    private static final Logger LOG = LoggerFactory.getLogger("dev.infer4j.server.access");
    private final ServerMetrics metrics;
    private final Set<String> routes;
    private final boolean enabled;

    /**
     * @param routes  the paths the server serves; metrics label any other path {@code other}, so that scanners
     *                cannot grow the label set without bound
     * @param enabled whether to write the log line (metrics are always recorded)
     */
    public AccessLog(ServerMetrics metrics, Set<String> routes, boolean enabled) {
        this.metrics = metrics;
        this.routes = Set.copyOf(routes);
        this.enabled = enabled;
    }

    @Override
    public void handle(Context ctx, Float executionTimeMs) {
        double seconds = RequestIds.elapsedSeconds(ctx);
        String route = routes.contains(ctx.path()) ? ctx.path() : "other";
        int status = ctx.statusCode();
        metrics.requestDone(route, ctx.method().name(), status, seconds);
        if (enabled && LOG.isInfoEnabled()) {
            LOG.info("request_id={} method={} path={} status={} duration_ms={} bytes_in={} remote={} agent={}",
                    RequestIds.of(ctx), ctx.method().name(), quote(ctx.path()), status,
                    String.format(Locale.ROOT, "%.2f", seconds * 1000), Math.max(0, ctx.req().getContentLengthLong()),
                    ctx.ip(), quote(ctx.userAgent()));
        }
    }

    /** logfmt value: bare when safe, else quoted with escapes. */
    static String quote(String value) {
        if (value == null) {
            return "-";
        }
        boolean bare = !value.isEmpty();
        for (int i = 0; i < value.length() && bare; i++) {
            char c = value.charAt(i);
            bare = c > ' ' && c != '"' && c != '=' && c != '\\' && c < 127;
        }
        if (bare) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c < ' ' ? '?' : c);
            }
        }
        return sb.append('"').toString();
    }
}
