package dev.infer4j.tokenizer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the key-value metadata of a GGUF file into the value representation {@code Tokenizers.fromGguf} expects
 * (integers as Long, float32 as Float, ...; arrays as primitive arrays or String[]), for the synthetic parity tests.
 * A test fixture only: the real GGUF reader ({@code dev.infer4j.models.gguf.GgufFile}) lives in the models module,
 * which depends on this one, so tokenizer tests cannot use it; the GGUF parity test proper lives in models.
 */
public final class GgufMetadataFixture {

    private GgufMetadataFixture() {
    }

    public static Map<String, Object> read(Path file) {
        ByteBuffer b;
        try {
            b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (b.getInt() != 0x46554747) {
            throw new IllegalArgumentException(file + " is not a GGUF file");
        }
        int version = b.getInt();
        if (version < 2) {
            throw new IllegalArgumentException(file + ": GGUF version " + version + " is not supported by the fixture");
        }
        b.getLong(); // tensor count
        long kvCount = b.getLong();
        Map<String, Object> kv = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = string(b);
            kv.put(key, value(b, b.getInt()));
        }
        return kv;
    }

    private static String string(ByteBuffer b) {
        int n = Math.toIntExact(b.getLong());
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Object value(ByteBuffer b, int type) {
        return switch (type) {
            case 0 -> (long) (b.get() & 0xFF);
            case 1 -> (long) b.get();
            case 2 -> (long) (b.getShort() & 0xFFFF);
            case 3 -> (long) b.getShort();
            case 4 -> b.getInt() & 0xFFFFFFFFL;
            case 5 -> (long) b.getInt();
            case 6 -> b.getFloat();
            case 7 -> b.get() != 0;
            case 8 -> string(b);
            case 9 -> array(b);
            case 10, 11 -> b.getLong();
            case 12 -> b.getDouble();
            default -> throw new IllegalArgumentException("unknown GGUF value type " + type);
        };
    }

    private static Object array(ByteBuffer b) {
        int type = b.getInt();
        int n = Math.toIntExact(b.getLong());
        switch (type) {
            case 0, 1, 2, 3, 5 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Math.toIntExact((Long) value(b, type));
                }
                return a;
            }
            case 4, 10, 11 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Long) value(b, type);
                }
                return a;
            }
            case 6 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = b.getFloat();
                }
                return a;
            }
            case 12 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = b.getDouble();
                }
                return a;
            }
            case 7 -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = b.get() != 0;
                }
                return a;
            }
            case 8 -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = string(b);
                }
                return a;
            }
            default -> {
                Object[] a = new Object[n];
                for (int i = 0; i < n; i++) {
                    a[i] = value(b, type);
                }
                return a;
            }
        }
    }
}
