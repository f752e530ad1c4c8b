package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.tokenizer.TokenizerFormatException;

/** Typed access to tokenizer.json nodes; every failure names the field's path. */
final class Json {

    private Json() {
    }

    static JsonNode required(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new TokenizerFormatException(path + "." + field, "is missing");
        }
        return v;
    }

    static String text(JsonNode node, String field, String path) {
        JsonNode v = required(node, field, path);
        if (!v.isTextual()) {
            throw new TokenizerFormatException(path + "." + field, "must be a string, got " + v.getNodeType());
        }
        return v.asText();
    }

    static String text(JsonNode node, String field, String path, String fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new TokenizerFormatException(path + "." + field, "must be a string, got " + v.getNodeType());
        }
        return v.asText();
    }

    static boolean bool(JsonNode node, String field, String path, boolean fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new TokenizerFormatException(path + "." + field, "must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    /** A boolean that may be null (absent or JSON null). */
    static Boolean optionalBool(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new TokenizerFormatException(path + "." + field, "must be true, false or null, got " + v);
        }
        return v.asBoolean();
    }

    static int nonNegativeInt(JsonNode node, String field, String path, int fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        return nonNegativeInt(v, path + "." + field);
    }

    static int nonNegativeInt(JsonNode v, String path) {
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
            throw new TokenizerFormatException(path, "must be a non-negative integer, got " + v);
        }
        return v.asInt();
    }

    static JsonNode array(JsonNode node, String field, String path) {
        JsonNode v = required(node, field, path);
        if (!v.isArray()) {
            throw new TokenizerFormatException(path + "." + field, "must be an array, got " + v.getNodeType());
        }
        return v;
    }

    static JsonNode object(JsonNode node, String field, String path) {
        JsonNode v = required(node, field, path);
        if (!v.isObject()) {
            throw new TokenizerFormatException(path + "." + field, "must be an object, got " + v.getNodeType());
        }
        return v;
    }

    /** The {@code type} of a component. */
    static String type(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new TokenizerFormatException(path, "must be an object, got " + node.getNodeType());
        }
        return text(node, "type", path);
    }

    /** A single code point given as a one-char string (Hugging Face's {@code char} fields). */
    static int codePoint(JsonNode node, String field, String path) {
        String s = text(node, field, path);
        if (s.isEmpty() || s.codePointCount(0, s.length()) != 1) {
            throw new TokenizerFormatException(path + "." + field, "must be a single character, got '" + s + "'");
        }
        return s.codePointAt(0);
    }
}
