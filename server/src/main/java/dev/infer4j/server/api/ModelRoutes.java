package dev.infer4j.server.api;

import dev.infer4j.server.api.json.Json;
import dev.infer4j.server.api.json.ModelList;
import dev.infer4j.server.http.ApiException;
import dev.infer4j.server.model.ServedEmbeddingModel;
import dev.infer4j.server.model.ServedGenerator;
import dev.infer4j.server.model.ServedGenerators;
import dev.infer4j.server.model.ServedModels;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.util.ArrayList;
import java.util.List;

/** OpenAI's {@code GET /v1/models} and {@code GET /v1/models/{id}}. */
public final class ModelRoutes implements RouteGroup {
    private final ServedModels models;

    private final ServedGenerators generators;

    public ModelRoutes(ServedModels models) {
        this(models, ServedGenerators.none());
    }

    /** Lists the text generation models too. */
    public ModelRoutes(ServedModels models, ServedGenerators generators) {
        this.models = models;
        this.generators = generators;
    }

    @Override
    public void addTo(JavalinDefaultRouting router) {
        router.get("/v1/models", this::list);
        router.get("/v1/models/{id}", this::one);
    }

    private void list(Context ctx) {
        models.requireServing();
        List<ModelList.Card> cards = new ArrayList<>();
        for (ServedEmbeddingModel m : models.embeddingModels()) {
            cards.add(card(m));
        }
        for (ServedGenerator g : generators.all()) {
            cards.add(card(g));
        }
        ctx.contentType("application/json").result(Json.write(new ModelList(cards)));
    }

    private void one(Context ctx) {
        models.requireServing();
        String id = ctx.pathParam("id");
        for (ServedEmbeddingModel m : models.embeddingModels()) {
            if (m.id().equals(id)) {
                ctx.contentType("application/json").result(Json.write(card(m)));
                return;
            }
        }
        for (ServedGenerator g : generators.all()) {
            if (g.id().equals(id)) {
                ctx.contentType("application/json").result(Json.write(card(g)));
                return;
            }
        }
        throw ApiException.modelNotFound(id);
    }

    private static ModelList.Card card(ServedGenerator g) {
        return new ModelList.Card(g.id(), "model", g.createdEpochSeconds(), "infer4j", "generation", 0,
                g.generator().contextLength());
    }

    private static ModelList.Card card(ServedEmbeddingModel m) {
        return new ModelList.Card(m.id(), "model", m.createdEpochSeconds(), "infer4j", "embedding",
                m.info().dimensions(), m.info().maxTokens());
    }
}
