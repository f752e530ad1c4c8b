package dev.infer4j.tokenizer.gguf;

import dev.infer4j.tokenizer.TokenizerFormatException;
import java.util.Map;

/**
 * Typed access to GGUF metadata as the GGUF reader represents it (integers as {@link Long}, float32 as {@link Float},
 * booleans, strings; arrays as {@code int[]}, {@code long[]}, {@code float[]}, {@code String[]}, ...). Every failure
 * names the key.
 */
final class GgufMetadata {

    private final Map<String, Object> values;

    GgufMetadata(Map<String, Object> values) {
        if (values == null) {
            throw new TokenizerFormatException("metadata", "is null");
        }
        this.values = values;
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    String string(String key) {
        Object v = required(key);
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(key, "a string", v);
    }

    String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    boolean bool(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, "a boolean", v);
    }

    /** A token id: -1 when absent (or stored as -1 / 0xFFFFFFFF); out of {@code [0, vocabSize)} is an error. */
    int tokenId(String key, int vocabSize) {
        Object v = values.get(key);
        if (v == null) {
            return -1;
        }
        if (!(v instanceof Long l)) {
            throw wrongType(key, "an integer", v);
        }
        if (l == -1 || l == 0xFFFFFFFFL) {
            return -1; // llama.cpp writes "no such token" as uint32 -1
        }
        if (l < 0 || l >= vocabSize) {
            throw new TokenizerFormatException(key, "token id " + l + " is outside the vocabulary of " + vocabSize);
        }
        return (int) (long) l;
    }

    String[] strings(String key) {
        Object v = required(key);
        if (v instanceof String[] a) {
            for (int i = 0; i < a.length; i++) {
                if (a[i] == null) {
                    throw new TokenizerFormatException(key + "[" + i + "]", "is null");
                }
            }
            return a;
        }
        throw wrongType(key, "an array of strings", v);
    }

    /** An integer array of any width, checked to fit in int. */
    int[] ints(String key) {
        Object v = required(key);
        if (v instanceof int[] a) {
            return a;
        }
        if (v instanceof long[] a) {
            int[] r = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                if (a[i] < Integer.MIN_VALUE || a[i] > Integer.MAX_VALUE) {
                    throw new TokenizerFormatException(key + "[" + i + "]", "value " + a[i] + " is out of range");
                }
                r[i] = (int) a[i];
            }
            return r;
        }
        throw wrongType(key, "an array of integers", v);
    }

    float[] floats(String key) {
        Object v = required(key);
        if (v instanceof float[] a) {
            return a;
        }
        if (v instanceof double[] a) {
            float[] r = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = (float) a[i];
            }
            return r;
        }
        throw wrongType(key, "an array of floats", v);
    }

    private Object required(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new TokenizerFormatException(key, "is missing");
        }
        return v;
    }

    private static TokenizerFormatException wrongType(String key, String expected, Object actual) {
        return new TokenizerFormatException(key, "must be " + expected + ", got " + actual.getClass().getSimpleName());
    }
}
