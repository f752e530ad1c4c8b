package dev.infer4j.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.server.api.json.Fields;
import dev.infer4j.server.api.json.Json;
import dev.infer4j.server.http.ApiException;
import dev.infer4j.server.http.BodyReader;
import dev.infer4j.server.model.EmbeddingInputs;
import dev.infer4j.server.model.ServedEmbeddingModel;
import dev.infer4j.server.model.ServedModels;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face text-embeddings-inference routes: {@code POST /embed} (answers a JSON array of vectors) and
 * {@code POST /tokenize} (answers an array of token-id arrays; TEI's token objects with offsets are not offered;
 * the route itself belongs to {@link TokenizeRoutes}, which also serves decoder models).
 * As in TEI, {@code /embed} does not truncate unless asked ({@code "truncate": true}), so an over-long input is a
 * 422. Errors use OpenAI's shape, like every other route of this server. Both take an optional {@code model}.
 */
public final class TeiRoutes implements RouteGroup {
    /** Inputs per request, as for the OpenAI route. */
    public static final int MAX_INPUTS = OpenAiEmbeddingRoutes.MAX_INPUTS;

    private final ServedModels models;
    private final BodyReader bodies;
    private final EmbeddingResponder responder;
    private final EmbeddingInputsParser inputs = new EmbeddingInputsParser("inputs", MAX_INPUTS);

    public TeiRoutes(ServedModels models, BodyReader bodies, EmbeddingResponder responder) {
        this.models = models;
        this.bodies = bodies;
        this.responder = responder;
    }

    @Override
    public void addTo(JavalinDefaultRouting router) {
        router.post("/embed", this::embed);
        // POST /tokenize is TokenizeRoutes': it hands TEI-shaped bodies to tokenize(ctx, body) below
    }

    private void embed(Context ctx) {
        JsonNode body = Json.parseObject(bodies.read(ctx));
        EmbeddingInputs input = inputs.parse(body);
        boolean normalize = Fields.bool(body, "normalize", true);
        boolean truncate = Fields.bool(body, "truncate", false);
        boolean left = truncateLeft(body);
        Integer dimensions = Fields.positiveInt(body, "dimensions");
        if (Fields.optional(body, "prompt_name") != null) {
            throw ApiException.badRequest("prompt_name", "'prompt_name' is not supported: put the prompt in the text");
        }
        ServedEmbeddingModel model = models.embeddingModel(Fields.string(body, "model", null));
        if (dimensions != null && dimensions > model.info().dimensions()) {
            throw ApiException.badRequest("dimensions", "'dimensions' is " + dimensions + " but " + model.id()
                    + " makes vectors of " + model.info().dimensions());
        }
        EmbedOptions options = new EmbedOptions(normalize, dimensions, truncate, left);
        responder.respond(ctx, () -> model.submit(input, options), "inputs", result -> result.vectors());
    }

    private static boolean truncateLeft(JsonNode body) {
        String direction = Fields.string(body, "truncation_direction", "Right");
        if (direction.equalsIgnoreCase("right")) {
            return false;
        }
        if (direction.equalsIgnoreCase("left")) {
            return true;
        }
        throw ApiException.badRequest("truncation_direction",
                "'truncation_direction' must be 'Left' or 'Right', not '" + direction + "'");
    }

    /** TEI's {@code /tokenize}: {@code inputs} (a string or strings) to arrays of token ids. */
    void tokenize(Context ctx, JsonNode body) {
        JsonNode node = Fields.required(body, "inputs");
        List<String> texts = new ArrayList<>();
        if (node.isTextual()) {
            texts.add(node.textValue());
        } else if (node.isArray() && !node.isEmpty()) {
            if (node.size() > MAX_INPUTS) {
                throw ApiException.badRequest("inputs", "'inputs' has " + node.size() + " texts; at most "
                        + MAX_INPUTS + " are allowed per request");
            }
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isTextual()) {
                    throw ApiException.badRequest("inputs", "inputs[" + i + "] must be a string, not "
                            + Fields.kind(node.get(i)));
                }
                texts.add(node.get(i).textValue());
            }
        } else {
            throw ApiException.badRequest("inputs", "'inputs' must be a string or a non-empty array of strings, not "
                    + (node.isArray() ? "an empty array" : Fields.kind(node)));
        }
        boolean special = Fields.bool(body, "add_special_tokens", true);
        ServedEmbeddingModel model = models.embeddingModel(Fields.string(body, "model", null));
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = model.tokenize(texts.get(i), special);
        }
        ctx.contentType("application/json").result(Json.write(ids));
    }
}
