package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.pretokenize.BertPreTokenizer;
import dev.infer4j.tokenizer.pretokenize.PreTokenizer;

/** Builds pre-tokenizers from the {@code pre_tokenizer} section of tokenizer.json. */
final class PreTokenizerReader {

    private PreTokenizerReader() {
    }

    static PreTokenizer read(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = Json.type(node, path);
        return switch (type) {
            case "BertPreTokenizer" -> new BertPreTokenizer();
            default -> throw new TokenizerFormatException(path + ".type", "unsupported pre-tokenizer '" + type + "'");
        };
    }
}
