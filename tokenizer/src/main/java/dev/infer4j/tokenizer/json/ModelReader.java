package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.model.BpeModel;
import dev.infer4j.tokenizer.model.MergeTable;
import dev.infer4j.tokenizer.model.TokenModel;
import dev.infer4j.tokenizer.model.UnigramModel;
import dev.infer4j.tokenizer.model.Vocabulary;
import dev.infer4j.tokenizer.model.WordPieceModel;
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
            case "BPE" -> bpe(node, path);
            case "Unigram" -> unigram(node, path);
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

    private static TokenModel bpe(JsonNode node, String path) {
        JsonNode dropout = node.get("dropout");
        if (dropout != null && !dropout.isNull() && dropout.asDouble() != 0.0) {
            throw new TokenizerFormatException(path + ".dropout", "BPE dropout (random merges) is not supported");
        }
        String prefix = Json.text(node, "continuing_subword_prefix", path, "");
        String suffix = Json.text(node, "end_of_word_suffix", path, "");
        if (!prefix.isEmpty() || !suffix.isEmpty()) {
            throw new TokenizerFormatException(path + (prefix.isEmpty() ? ".end_of_word_suffix"
                    : ".continuing_subword_prefix"), "BPE with subword prefixes or word suffixes is not supported");
        }
        Vocabulary vocabulary = vocabulary(node, path);
        JsonNode merges = Json.array(node, "merges", path);
        String[][] rules = new String[merges.size()][];
        for (int i = 0; i < merges.size(); i++) {
            JsonNode m = merges.get(i);
            String p = path + ".merges[" + i + "]";
            if (m.isTextual()) {
                String line = m.asText();
                int space = line.indexOf(' ', 1);
                if (space < 0 || space == line.length() - 1) {
                    throw new TokenizerFormatException(p, "must be two tokens separated by a space, got '"
                            + line + "'");
                }
                rules[i] = new String[] {line.substring(0, space), line.substring(space + 1)};
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                rules[i] = new String[] {m.get(0).asText(), m.get(1).asText()};
            } else {
                throw new TokenizerFormatException(p, "must be \"left right\" or [left, right], got " + m);
            }
        }
        MergeTable table = BpeModel.mergeTable(vocabulary, rules, path + ".merges");
        String unk = Json.text(node, "unk_token", path, null);
        int unkId = -1;
        if (unk != null) {
            unkId = vocabulary.id(unk);
            if (unkId < 0) {
                throw new TokenizerFormatException(path + ".unk_token", "'" + unk + "' is not in the vocabulary");
            }
        }
        return new BpeModel(vocabulary, table, unkId, Json.bool(node, "fuse_unk", path, false),
                Json.bool(node, "byte_fallback", path, false), Json.bool(node, "ignore_merges", path, false));
    }

    private static TokenModel unigram(JsonNode node, String path) {
        JsonNode vocab = Json.array(node, "vocab", path);
        String[] pieces = new String[vocab.size()];
        double[] scores = new double[vocab.size()];
        for (int i = 0; i < vocab.size(); i++) {
            JsonNode entry = vocab.get(i);
            String p = path + ".vocab[" + i + "]";
            if (!entry.isArray() || entry.size() != 2 || !entry.get(0).isTextual() || !entry.get(1).isNumber()) {
                throw new TokenizerFormatException(p, "must be [piece, score], got " + entry);
            }
            pieces[i] = entry.get(0).asText();
            scores[i] = entry.get(1).asDouble();
        }
        if (pieces.length == 0) {
            throw new TokenizerFormatException(path + ".vocab", "the vocabulary is empty");
        }
        int unkId = -1;
        JsonNode unk = node.get("unk_id");
        if (unk != null && !unk.isNull()) {
            unkId = Json.nonNegativeInt(unk, path + ".unk_id");
            if (unkId >= pieces.length) {
                throw new TokenizerFormatException(path + ".unk_id", unkId + " is outside the vocabulary");
            }
        }
        return new UnigramModel(new Vocabulary(pieces, path + ".vocab"), scores, unkId,
                Json.bool(node, "byte_fallback", path, false));
    }

    /** A {@code {"token": id}} vocabulary. */
    static Vocabulary vocabulary(JsonNode node, String path) {
        JsonNode vocab = Json.object(node, "vocab", path);
        int maxId = -1;
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            maxId = Math.max(maxId, Json.nonNegativeInt(e.getValue(), path + ".vocab[" + quote(e.getKey()) + "]"));
        }
        if (maxId < 0) {
            throw new TokenizerFormatException(path + ".vocab", "the vocabulary is empty");
        }
        if (maxId > 50_000_000) {
            throw new TokenizerFormatException(path + ".vocab", "id " + maxId + " is implausibly large");
        }
        String[] tokens = new String[maxId + 1];
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
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
