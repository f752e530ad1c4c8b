package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infer4j.tokenizer.Padding;
import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.Truncation;
import dev.infer4j.tokenizer.decode.Decoder;
import dev.infer4j.tokenizer.model.TokenModel;
import dev.infer4j.tokenizer.normalize.Normalizer;
import dev.infer4j.tokenizer.pipeline.AddedToken;
import dev.infer4j.tokenizer.pipeline.AddedVocabulary;
import dev.infer4j.tokenizer.pipeline.Pipeline;
import dev.infer4j.tokenizer.pipeline.PipelineTokenizer;
import dev.infer4j.tokenizer.postprocess.PostProcessor;
import dev.infer4j.tokenizer.pretokenize.PreTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads a Hugging Face {@code tokenizer.json} into a {@link PipelineTokenizer}. */
public final class TokenizerJsonReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TokenizerJsonReader() {
    }

    public static PipelineTokenizer read(InputStream in) {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException("tokenizer.json", "is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer.json", e);
        }
        if (root == null || !root.isObject()) {
            throw new TokenizerFormatException("tokenizer.json", "must be a JSON object");
        }
        return read(root);
    }

    static PipelineTokenizer read(JsonNode root) {
        Normalizer normalizer = NormalizerReader.read(root.get("normalizer"), "normalizer");
        PreTokenizer preTokenizer = PreTokenizerReader.read(root.get("pre_tokenizer"), "pre_tokenizer");
        TokenModel model = ModelReader.read(root.get("model"), "model");
        List<AddedToken> addedTokens = addedTokens(root.get("added_tokens"));
        AddedVocabulary added = new AddedVocabulary(addedTokens, normalizer);
        PostProcessor postProcessor = PostProcessorReader.read(root.get("post_processor"), "post_processor",
                id -> {
                    AddedToken t = added.byId(id);
                    return t != null ? t.content() : model.vocabulary().token(id);
                });
        Decoder decoder = DecoderReader.read(root.get("decoder"), "decoder");
        Padding padding = padding(root.get("padding"));
        Pipeline pipeline = new Pipeline(normalizer, preTokenizer, model, postProcessor, decoder, added,
                SpecialTokenRoles.find(model, added, padding));
        return new PipelineTokenizer(pipeline, truncation(root.get("truncation")), padding);
    }

    private static List<AddedToken> addedTokens(JsonNode node) {
        List<AddedToken> tokens = new ArrayList<>();
        if (node == null || node.isNull()) {
            return tokens;
        }
        if (!node.isArray()) {
            throw new TokenizerFormatException("added_tokens", "must be an array");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode t = node.get(i);
            String path = "added_tokens[" + i + "]";
            if (!t.isObject()) {
                throw new TokenizerFormatException(path, "must be an object");
            }
            boolean special = Json.bool(t, "special", path, false);
            tokens.add(new AddedToken(Json.nonNegativeInt(Json.required(t, "id", path), path + ".id"),
                    Json.text(t, "content", path),
                    Json.bool(t, "single_word", path, false),
                    Json.bool(t, "lstrip", path, false),
                    Json.bool(t, "rstrip", path, false),
                    Json.bool(t, "normalized", path, !special),
                    special));
        }
        return tokens;
    }

    private static Truncation truncation(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String path = "truncation";
        int maxLength = Json.nonNegativeInt(Json.required(node, "max_length", path), path + ".max_length");
        if (maxLength == 0) {
            throw new TokenizerFormatException(path + ".max_length", "must be at least 1");
        }
        String strategy = Json.text(node, "strategy", path, "LongestFirst");
        String direction = Json.text(node, "direction", path, "Right");
        int stride = Json.nonNegativeInt(node, "stride", path, 0);
        if (stride >= maxLength) {
            throw new TokenizerFormatException(path + ".stride", "must be less than max_length " + maxLength);
        }
        return new Truncation(maxLength,
                switch (strategy) {
                    case "LongestFirst" -> Truncation.Strategy.LONGEST_FIRST;
                    case "OnlyFirst" -> Truncation.Strategy.ONLY_FIRST;
                    case "OnlySecond" -> Truncation.Strategy.ONLY_SECOND;
                    default -> throw new TokenizerFormatException(path + ".strategy",
                            "must be LongestFirst, OnlyFirst or OnlySecond, got '" + strategy + "'");
                },
                switch (direction) {
                    case "Left" -> Truncation.Direction.LEFT;
                    case "Right" -> Truncation.Direction.RIGHT;
                    default -> throw new TokenizerFormatException(path + ".direction",
                            "must be Left or Right, got '" + direction + "'");
                },
                stride);
    }

    private static Padding padding(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String path = "padding";
        JsonNode strategy = Json.required(node, "strategy", path);
        int fixed;
        if (strategy.isTextual() && strategy.asText().equals("BatchLongest")) {
            fixed = 0;
        } else if (strategy.isObject() && strategy.has("Fixed")) {
            fixed = Json.nonNegativeInt(strategy.get("Fixed"), path + ".strategy.Fixed");
            if (fixed == 0) {
                throw new TokenizerFormatException(path + ".strategy.Fixed", "must be at least 1");
            }
        } else {
            throw new TokenizerFormatException(path + ".strategy", "must be \"BatchLongest\" or {\"Fixed\": n}, got "
                    + strategy);
        }
        String direction = Json.text(node, "direction", path, "Right");
        Padding.Direction dir = switch (direction) {
            case "Left" -> Padding.Direction.LEFT;
            case "Right" -> Padding.Direction.RIGHT;
            default -> throw new TokenizerFormatException(path + ".direction",
                    "must be Left or Right, got '" + direction + "'");
        };
        return new Padding(fixed, dir, Json.nonNegativeInt(node, "pad_to_multiple_of", path, 0),
                Json.nonNegativeInt(node, "pad_id", path, 0), Json.nonNegativeInt(node, "pad_type_id", path, 0),
                Json.text(node, "pad_token", path, "[PAD]"));
    }
}
