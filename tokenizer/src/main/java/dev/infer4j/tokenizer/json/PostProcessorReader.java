package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.postprocess.ByteLevelProcessor;
import dev.infer4j.tokenizer.postprocess.PostProcessor;
import dev.infer4j.tokenizer.postprocess.RobertaProcessor;
import dev.infer4j.tokenizer.postprocess.SequenceProcessor;
import dev.infer4j.tokenizer.postprocess.TemplateProcessor;
import dev.infer4j.tokenizer.postprocess.TemplateProcessor.Piece;
import dev.infer4j.tokenizer.postprocess.TemplateProcessor.SequencePiece;
import dev.infer4j.tokenizer.postprocess.TemplateProcessor.SpecialPiece;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Builds post-processors from the {@code post_processor} section of tokenizer.json. */
final class PostProcessorReader {

    private PostProcessorReader() {
    }

    /** @param tokenOf the token string of an id (byte-level offset trimming looks at it) */
    static PostProcessor read(JsonNode node, String path, IntFunction<String> tokenOf) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = Json.type(node, path);
        return switch (type) {
            case "TemplateProcessing" -> template(node, path);
            case "BertProcessing" -> {
                JsonNode cls = Json.array(node, "cls", path);
                JsonNode sep = Json.array(node, "sep", path);
                yield TemplateProcessor.bert(tokenName(cls, path + ".cls"), tokenId(cls, path + ".cls"),
                        tokenName(sep, path + ".sep"), tokenId(sep, path + ".sep"));
            }
            case "RobertaProcessing" -> new RobertaProcessor(
                    tokenId(Json.array(node, "cls", path), path + ".cls"),
                    tokenId(Json.array(node, "sep", path), path + ".sep"),
                    Json.bool(node, "trim_offsets", path, true),
                    Json.bool(node, "add_prefix_space", path, true), tokenOf);
            case "ByteLevel" -> new ByteLevelProcessor(Json.bool(node, "trim_offsets", path, true),
                    Json.bool(node, "add_prefix_space", path, true), tokenOf);
            case "Sequence" -> {
                JsonNode items = Json.array(node, "processors", path);
                List<PostProcessor> list = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    PostProcessor p = read(items.get(i), path + ".processors[" + i + "]", tokenOf);
                    if (p != null) {
                        list.add(p);
                    }
                }
                yield new SequenceProcessor(list);
            }
            default -> throw new TokenizerFormatException(path + ".type", "unsupported post-processor '" + type + "'");
        };
    }

    private static String tokenName(JsonNode pair, String path) {
        if (pair.size() != 2 || !pair.get(0).isTextual()) {
            throw new TokenizerFormatException(path, "must be [token, id], got " + pair);
        }
        return pair.get(0).asText();
    }

    private static int tokenId(JsonNode pair, String path) {
        tokenName(pair, path);
        return Json.nonNegativeInt(pair.get(1), path + "[1]");
    }

    private static TemplateProcessor template(JsonNode node, String path) {
        JsonNode specials = node.get("special_tokens");
        List<Piece> single = pieces(Json.array(node, "single", path), path + ".single", specials, path);
        List<Piece> pair = pieces(Json.array(node, "pair", path), path + ".pair", specials, path);
        return new TemplateProcessor(single, pair);
    }

    private static List<Piece> pieces(JsonNode items, String path, JsonNode specials, String root) {
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String p = path + "[" + i + "]";
            if (item.has("Sequence")) {
                JsonNode s = item.get("Sequence");
                String id = Json.text(s, "id", p + ".Sequence");
                if (!id.equals("A") && !id.equals("B")) {
                    throw new TokenizerFormatException(p + ".Sequence.id", "must be A or B, got " + id);
                }
                pieces.add(new SequencePiece(id.equals("B"), Json.nonNegativeInt(s, "type_id", p + ".Sequence", 0)));
            } else if (item.has("SpecialToken")) {
                JsonNode s = item.get("SpecialToken");
                String id = Json.text(s, "id", p + ".SpecialToken");
                JsonNode def = specials == null ? null : specials.get(id);
                if (def == null) {
                    throw new TokenizerFormatException(root + ".special_tokens",
                            "has no entry for '" + id + "' used by " + p);
                }
                JsonNode ids = Json.array(def, "ids", root + ".special_tokens." + id);
                int[] values = new int[ids.size()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = Json.nonNegativeInt(ids.get(k), root + ".special_tokens." + id + ".ids[" + k + "]");
                }
                pieces.add(new SpecialPiece(id, values, Json.nonNegativeInt(s, "type_id", p + ".SpecialToken", 0)));
            } else {
                throw new TokenizerFormatException(p, "must be {\"Sequence\": ...} or {\"SpecialToken\": ...}");
            }
        }
        return pieces;
    }
}
