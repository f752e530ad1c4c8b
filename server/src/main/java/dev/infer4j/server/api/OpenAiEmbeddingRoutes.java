package dev.infer4j.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingResult;
import dev.infer4j.server.api.json.EmbeddingsResponse;
import dev.infer4j.server.api.json.Fields;
import dev.infer4j.server.api.json.Json;
import dev.infer4j.server.http.ApiException;
import dev.infer4j.server.http.BodyReader;
import dev.infer4j.server.model.EmbeddingInputs;
import dev.infer4j.server.model.ServedEmbeddingModel;
import dev.infer4j.server.model.ServedModels;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's {@code POST /v1/embeddings}. Inputs longer than the model's maximum are truncated (the usage counts the
 * tokens actually embedded); vectors are the model's default (L2-normalised for the built-in models).
 */
public final class OpenAiEmbeddingRoutes implements RouteGroup {
    /** OpenAI's own limit on inputs per request. */
    public static final int MAX_INPUTS = 2048;

    private final ServedModels models;
    private final BodyReader bodies;
    private final EmbeddingResponder responder;
    private final EmbeddingInputsParser inputs = new EmbeddingInputsParser("input", MAX_INPUTS);

    public OpenAiEmbeddingRoutes(ServedModels models, BodyReader bodies, EmbeddingResponder responder) {
        this.models = models;
        this.bodies = bodies;
        this.responder = responder;
    }

    @Override
    public void addTo(JavalinDefaultRouting router) {
        router.post("/v1/embeddings", this::embeddings);
    }

    private void embeddings(Context ctx) {
        JsonNode body = Json.parseObject(bodies.read(ctx));
        String modelId = Fields.string(body, "model", null);
        EmbeddingInputs input = inputs.parse(body);
        boolean base64 = switch (Fields.string(body, "encoding_format", "float")) {
            case "float" -> false;
            case "base64" -> true;
            default -> throw ApiException.badRequest("encoding_format",
                    "'encoding_format' must be 'float' or 'base64', not '" + body.get("encoding_format").textValue()
                            + "'");
        };
        Integer dimensions = Fields.positiveInt(body, "dimensions");
        Fields.string(body, "user", null); // accepted for compatibility, not used
        ServedEmbeddingModel model = models.embeddingModel(modelId);
        if (dimensions != null && dimensions > model.info().dimensions()) {
            throw ApiException.badRequest("dimensions", "'dimensions' is " + dimensions + " but " + model.id()
                    + " makes vectors of " + model.info().dimensions());
        }
        EmbedOptions options = new EmbedOptions(null, dimensions, true, false);
        responder.respond(ctx, () -> model.submit(input, options), "input",
                result -> response(model.id(), result, base64));
    }

    private static EmbeddingsResponse response(String model, EmbeddingResult result, boolean base64) {
        float[][] vectors = result.vectors();
        List<EmbeddingsResponse.Item> items = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            items.add(new EmbeddingsResponse.Item(base64 ? base64(vectors[i]) : vectors[i], i));
        }
        int tokens = result.totalTokens();
        return new EmbeddingsResponse(items, model, new EmbeddingsResponse.Usage(tokens, tokens));
    }

    /** Little-endian float32 values in standard base64, as OpenAI encodes them. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
