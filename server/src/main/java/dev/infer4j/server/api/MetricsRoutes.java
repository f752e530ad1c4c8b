package dev.infer4j.server.api;

import dev.infer4j.server.metrics.ServerMetrics;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;

/** {@code GET /metrics} in the Prometheus text format. */
public final class MetricsRoutes implements RouteGroup {
    private final ServerMetrics metrics;

    public MetricsRoutes(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void addTo(JavalinDefaultRouting router) {
        router.get("/metrics", this::scrape);
    }

    private void scrape(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }
}
