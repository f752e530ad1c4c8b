package dev.infer4j.models.gguf;

import dev.infer4j.models.weights.ModelFormatException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Typed, checked access to GGUF metadata: a missing required key or a value of the wrong kind fails
 * naming the file, the key and what was found.
 */
public final class GgufMetadata {
    private final Path file;
    private final Map<String, Object> values;

    public GgufMetadata(Path file, Map<String, Object> values) {
        this.file = file;
        this.values = values;
    }

    /** The raw map, values as {@link GgufFile#metadata()} describes them. */
    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key) {
        return as(key, String.class, "a string");
    }

    public String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    /** An integer value of any GGUF width. */
    public long integer(String key) {
        return as(key, Long.class, "an integer");
    }

    public long integer(String key, long fallback) {
        return has(key) ? integer(key) : fallback;
    }

    /** An integer value that must lie in {@code [min, max]}. */
    public int intInRange(String key, int min, int max) {
        long v = integer(key);
        if (v < min || v > max) {
            throw fail(key, "must lie in [" + min + ", " + max + "], found " + v);
        }
        return (int) v;
    }

    public int intInRange(String key, int min, int max, int fallback) {
        return has(key) ? intInRange(key, min, max) : fallback;
    }

    /** A float32 or float64 value. */
    public double real(String key) {
        Object v = require(key);
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof Double d) {
            return d;
        }
        throw wrongKind(key, "a float", v);
    }

    public double real(String key, double fallback) {
        return has(key) ? real(key) : fallback;
    }

    public boolean bool(String key, boolean fallback) {
        return has(key) ? as(key, Boolean.class, "a bool") : fallback;
    }

    public String[] strings(String key) {
        return as(key, String[].class, "a string array");
    }

    public float[] floats(String key) {
        return as(key, float[].class, "a float32 array");
    }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw fail(key, "is missing");
        }
        return v;
    }

    private <T> T as(String key, Class<T> type, String kind) {
        Object v = require(key);
        if (!type.isInstance(v)) {
            throw wrongKind(key, kind, v);
        }
        return type.cast(v);
    }

    private ModelFormatException wrongKind(String key, String kind, Object v) {
        return fail(key, "must be " + kind + ", found " + v.getClass().getSimpleName());
    }

    private ModelFormatException fail(String key, String problem) {
        return new ModelFormatException(file, null, "metadata '" + key + "' " + problem);
    }
}
