package dev.infer4j.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infer4j.server.api.json.Fields;
import dev.infer4j.server.api.json.Json;
import dev.infer4j.server.http.ApiException;
import dev.infer4j.server.http.BodyReader;
import dev.infer4j.server.model.ServedGenerator;
import dev.infer4j.server.model.ServedGenerators;
import dev.infer4j.server.model.ServedModels;
import dev.infer4j.tokenizer.Tokenizer;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /tokenize} and {@code POST /detokenize}. The body's shape picks the model kind: llama.cpp's server
 * shape ({@code {"content": text}} → {@code {"tokens": [ids]}}, {@code {"tokens": [ids]}} → {@code {"content": text}})
 * tokenizes with a text generation model; TEI's ({@code {"inputs": …}}) with an embedding model
 * ({@link TeiRoutes#tokenize}). {@code model} picks among several of that kind.
 */
public final class TokenizeRoutes implements RouteGroup {
    private final ServedModels models;
    private final ServedGenerators generators;
    private final BodyReader bodies;
    private final TeiRoutes tei;
    private final Map<ServedGenerator, TokenTexts> pieces = new ConcurrentHashMap<>();

    public TokenizeRoutes(ServedModels models, ServedGenerators generators, BodyReader bodies, TeiRoutes tei) {
        this.models = models;
        this.generators = generators;
        this.bodies = bodies;
        this.tei = tei;
    }

    @Override
    public void addTo(JavalinDefaultRouting router) {
        router.post("/tokenize", this::tokenize);
        router.post("/detokenize", this::detokenize);
    }

    private void tokenize(Context ctx) {
        JsonNode body = Json.parseObject(bodies.read(ctx));
        models.requireServing();
        if (Fields.optional(body, "content") == null) {
            if (Fields.optional(body, "inputs") == null && !generators.isEmpty()
                    && models.embeddingModels().isEmpty()) {
                throw ApiException.badRequest("content", "'content' is required");
            }
            tei.tokenize(ctx, body);
            return;
        }
        JsonNode content = body.get("content");
        if (!content.isTextual()) {
            throw ApiException.badRequest("content", "'content' must be a string, not " + Fields.kind(content));
        }
        boolean addSpecial = Fields.bool(body, "add_special", false);
        boolean withPieces = Fields.bool(body, "with_pieces", false);
        ServedGenerator model = generators.get(Fields.string(body, "model", null));
        int[] ids = model.generator().tokenizer().encode(content.textValue(), addSpecial).ids();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode tokens = root.putArray("tokens");
        TokenTexts texts = withPieces ? pieces.computeIfAbsent(model, m -> new TokenTexts(m.generator().tokenizer()))
                : null;
        for (int id : ids) {
            if (withPieces) {
                tokens.addObject().put("id", id).put("piece", texts.text(id));
            } else {
                tokens.add(id);
            }
        }
        ctx.contentType("application/json").result(Json.write(root));
    }

    private void detokenize(Context ctx) {
        JsonNode body = Json.parseObject(bodies.read(ctx));
        models.requireServing();
        JsonNode tokens = Fields.required(body, "tokens");
        ServedGenerator model = generators.get(Fields.string(body, "model", null));
        Tokenizer tokenizer = model.generator().tokenizer();
        if (!tokens.isArray()) {
            throw ApiException.badRequest("tokens", "'tokens' must be an array of token ids, not " + Fields.kind(tokens));
        }
        int vocab = tokenizer.vocabSize();
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = tokens.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 0 || t.intValue() >= vocab) {
                throw ApiException.badRequest("tokens", "tokens[" + i + "] must be a token id from 0 to " + (vocab - 1)
                        + ", got " + t);
            }
            ids[i] = t.intValue();
        }
        ObjectNode root = Json.MAPPER.createObjectNode().put("content", tokenizer.decode(ids, false));
        ctx.contentType("application/json").result(Json.write(root));
    }
}
