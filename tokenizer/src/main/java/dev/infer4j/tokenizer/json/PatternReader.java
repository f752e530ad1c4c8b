package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.text.LiteralPattern;
import dev.infer4j.tokenizer.text.Pattern;
import dev.infer4j.tokenizer.text.Patterns;
import java.util.regex.PatternSyntaxException;

/** Reads {@code {"String": "..."}} or {@code {"Regex": "..."}} patterns. */
final class PatternReader {

    private PatternReader() {
    }

    static Pattern read(JsonNode node, String path) {
        if (node.isObject() && node.has("String")) {
            String s = Json.text(node, "String", path);
            if (s.isEmpty()) {
                throw new TokenizerFormatException(path + ".String", "must not be empty");
            }
            return new LiteralPattern(s);
        }
        if (node.isObject() && node.has("Regex")) {
            String regex = Json.text(node, "Regex", path);
            try {
                return Patterns.regex(regex);
            } catch (PatternSyntaxException e) {
                throw new TokenizerFormatException(path + ".Regex", "invalid regular expression: " + e.getMessage(), e);
            }
        }
        throw new TokenizerFormatException(path, "must be {\"String\": ...} or {\"Regex\": ...}, got " + node);
    }
}
