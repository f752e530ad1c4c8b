package dev.infer4j.server.api;

import dev.infer4j.server.api.json.HealthStatus;
import dev.infer4j.server.api.json.Json;
import dev.infer4j.server.model.ServedModels;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;

/** {@code GET /health}: 200 once every model is loaded, 503 while loading, after a load failure, or when draining. */
public final class HealthRoutes implements RouteGroup {
    private final ServedModels models;

    public HealthRoutes(ServedModels models) {
        this.models = models;
    }

    @Override
    public void addTo(JavalinDefaultRouting router) {
        router.get("/health", this::health);
    }

    private void health(Context ctx) {
        HealthStatus status = switch (models.state()) {
            case READY -> new HealthStatus("ok", null);
            case LOADING -> new HealthStatus("loading", "the model is loading");
            case FAILED -> new HealthStatus("failed", models.failure());
            case DRAINING, CLOSED -> new HealthStatus("draining", "the server is shutting down");
        };
        ctx.status(models.state() == ServedModels.State.READY ? 200 : 503);
        ctx.contentType("application/json").result(Json.write(status));
    }
}
