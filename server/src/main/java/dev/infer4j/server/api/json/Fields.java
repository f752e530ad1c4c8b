package dev.infer4j.server.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.server.http.ApiException;

/** Typed reads of optional request fields; a field of the wrong type is a 400 naming the field. */
public final class Fields {
    private Fields() {
    }

    /** The field, or null when it is absent or JSON null. */
    public static JsonNode optional(JsonNode body, String name) {
        JsonNode v = body.get(name);
        return v == null || v.isNull() ? null : v;
    }

    public static JsonNode required(JsonNode body, String name) {
        JsonNode v = optional(body, name);
        if (v == null) {
            throw ApiException.badRequest(name, "'" + name + "' is required");
        }
        return v;
    }

    public static String string(JsonNode body, String name, String fallback) {
        JsonNode v = optional(body, name);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(name, "'" + name + "' must be a string, not " + kind(v));
        }
        return v.textValue();
    }

    public static boolean bool(JsonNode body, String name, boolean fallback) {
        JsonNode v = optional(body, name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest(name, "'" + name + "' must be true or false, not " + kind(v));
        }
        return v.booleanValue();
    }

    /** A positive int field, or null when absent. */
    public static Integer positiveInt(JsonNode body, String name) {
        JsonNode v = optional(body, name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw ApiException.badRequest(name, "'" + name + "' must be an integer, not " + kind(v));
        }
        if (!v.canConvertToInt() || v.intValue() <= 0) {
            throw ApiException.badRequest(name, "'" + name + "' must be an integer from 1 to "
                    + Integer.MAX_VALUE + ", got " + v.asText());
        }
        return v.intValue();
    }

    /** How a JSON value is described in error messages. */
    public static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> v.isIntegralNumber() ? "an integer" : "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY -> "binary data";
            case MISSING -> "nothing";
        };
    }
}
