package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.model.TokenModel;
import dev.infer4j.tokenizer.model.Vocabulary;
import dev.infer4j.tokenizer.model.WordPieceModel;
import java.util.Iterator;
import java.util.Map;

/** Builds the model from the {@code model} section of tokenizer.json. */
final class ModelReader {

    private ModelReader() {
    }

    static TokenModel read(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            throw new TokenizerFormatException(path, "is missing");
        }
        String type = node.has("type") ? Json.type(node, path) : guessType(node, path);
        return switch (type) {
            case "WordPiece" -> new WordPieceModel(vocabulary(node, path),
                    Json.text(node, "unk_token", path),
                    Json.text(node, "continuing_subword_prefix", path, "##"),
                    Json.nonNegativeInt(node, "max_input_chars_per_word", path, 100));
            default -> throw new TokenizerFormatException(path + ".type", "unsupported model '" + type + "'");
        };
    }

    /** Old files have no model type: WordPiece has {@code continuing_subword_prefix}, BPE has merges. */
    private static String guessType(JsonNode node, String path) {
        if (node.has("merges")) {
            return "BPE";
        }
        if (node.has("continuing_subword_prefix") || node.has("max_input_chars_per_word")) {
            return "WordPiece";
        }
        throw new TokenizerFormatException(path + ".type", "is missing and the model kind cannot be inferred");
    }

    /** A {@code {"token": id}} vocabulary. */
    static Vocabulary vocabulary(JsonNode node, String path) {
        JsonNode vocab = Json.object(node, "vocab", path);
        int maxId = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            maxId = Math.max(maxId, Json.nonNegativeInt(e.getValue(), path + ".vocab[" + quote(e.getKey()) + "]"));
        }
        if (maxId < 0) {
            throw new TokenizerFormatException(path + ".vocab", "the vocabulary is empty");
        }
        if (maxId > 50_000_000) {
            throw new TokenizerFormatException(path + ".vocab", "id " + maxId + " is implausibly large");
        }
        String[] tokens = new String[maxId + 1];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = e.getValue().asInt();
            if (tokens[id] != null) {
                throw new TokenizerFormatException(path + ".vocab[" + quote(e.getKey()) + "]",
                        "id " + id + " is also used by " + quote(tokens[id]));
            }
            tokens[id] = e.getKey();
        }
        return new Vocabulary(tokens, path + ".vocab");
    }

    static String quote(String s) {
        return '"' + s + '"';
    }
}
