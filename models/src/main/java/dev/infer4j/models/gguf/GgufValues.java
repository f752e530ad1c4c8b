package dev.infer4j.models.gguf;

/**
 * Reads GGUF metadata values into their fixed Java representation (shared with the tokenizer module):
 * integer scalars of any width are {@link Long} (unsigned types widened without sign; uint64 keeps its
 * 64 bits), float32 {@link Float}, float64 {@link Double}, bool {@link Boolean}, string {@link String};
 * arrays of int8/int16/int32/uint8/uint16 are {@code int[]}, of uint32/int64/uint64 {@code long[]},
 * then {@code float[]}, {@code double[]}, {@code boolean[]}, {@code String[]}, and arrays of arrays
 * {@code Object[]} holding those representations.
 */
final class GgufValues {
    /** Deeper nesting is refused: real files never nest, and a corrupt file must not overflow the stack. */
    static final int MAX_ARRAY_DEPTH = 8;

    private GgufValues() {
    }

    static Object read(GgufCursor in, GgufValueType type, String key, int depth) {
        return switch (type) {
            case UINT8 -> (long) Byte.toUnsignedInt(in.i8(key + " (uint8)"));
            case INT8 -> (long) in.i8(key + " (int8)");
            case UINT16 -> (long) Short.toUnsignedInt(in.i16(key + " (uint16)"));
            case INT16 -> (long) in.i16(key + " (int16)");
            case UINT32 -> in.u32(key + " (uint32)");
            case INT32 -> (long) in.i32(key + " (int32)");
            case UINT64, INT64 -> in.i64(key + " (64-bit integer)");
            case FLOAT32 -> in.f32(key + " (float32)");
            case FLOAT64 -> in.f64(key + " (float64)");
            case BOOL -> bool(in, key);
            case STRING -> in.string("the string value of " + key);
            case ARRAY -> array(in, key, depth);
        };
    }

    /** The element type of an array value, read before its count. */
    static GgufValueType elementType(GgufCursor in, String key) {
        long at = in.position();
        long id = in.u32("the element type of array " + key);
        GgufValueType t = GgufValueType.fromId(id);
        if (t == null) {
            throw in.errorAt(at, "array " + key + " has unknown element type " + id + " (GGUF defines 0..12)");
        }
        return t;
    }

    private static Object array(GgufCursor in, String key, int depth) {
        if (depth >= MAX_ARRAY_DEPTH) {
            throw in.error("array " + key + " is nested deeper than " + MAX_ARRAY_DEPTH + " levels (corrupt file?)");
        }
        GgufValueType element = elementType(in, key);
        int min = switch (element) {
            case STRING -> 8;
            case ARRAY -> 12;
            default -> element.fixedBytes();
        };
        int n = in.count("array " + key, min);
        String what = key + "[]";
        switch (element) {
            case UINT8, INT8, UINT16, INT16 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Math.toIntExact((Long) read(in, element, what, depth));
                }
                return v;
            }
            case INT32 -> {
                int[] v = new int[n];
                in.ints(v);
                return v;
            }
            case UINT32 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = in.u32(what);
                }
                return v;
            }
            case UINT64, INT64 -> {
                long[] v = new long[n];
                in.longs(v);
                return v;
            }
            case FLOAT32 -> {
                float[] v = new float[n];
                in.floats(v);
                return v;
            }
            case FLOAT64 -> {
                double[] v = new double[n];
                in.doubles(v);
                return v;
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = bool(in, what);
                }
                return v;
            }
            case STRING -> {
                String[] v = new String[n];
                for (int i = 0; i < n; i++) {
                    v[i] = in.string("element " + i + " of " + key);
                }
                return v;
            }
            case ARRAY -> {
                Object[] v = new Object[n];
                for (int i = 0; i < n; i++) {
                    v[i] = array(in, key + "[" + i + "]", depth + 1);
                }
                return v;
            }
            default -> throw new IllegalStateException(element.toString());
        }
    }

    private static Boolean bool(GgufCursor in, String key) {
        long at = in.position();
        byte b = in.i8(key + " (bool)");
        if (b != 0 && b != 1) {
            throw in.errorAt(at, "bool " + key + " must be 0 or 1, found " + b);
        }
        return b == 1;
    }
}
