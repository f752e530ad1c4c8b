package dev.infer4j.models.llama;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.gguf.GgufValueType;
import dev.infer4j.models.gguf.GgufWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** Builds GGUF files of Llama-family layouts for tests: random weights, or real weights rearranged. */
final class SyntheticModels {
    private SyntheticModels() {
    }

    static float[] random(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    static float[] ones(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (1 + 0.1 * r.nextGaussian());
        }
        return v;
    }

    static float[] floats(Tensor t) {
        if (t.dtype() != DType.F32) {
            throw new IllegalArgumentException("F32 expected: " + t);
        }
        return t.segment().toArray(ValueLayout.JAVA_FLOAT);
    }

    /** Rows of {@code a} followed by rows of {@code b} (same width). */
    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] r = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, r, at, p.length);
            at += p.length;
        }
        return r;
    }

    /**
     * Reorders the Q or K rows of a llama-arch GGUF file (adjacent RoPE pairs) into the "rotate half" order
     * NeoX-style architectures use: within each head, row {@code 2i + j} moves to {@code j * headDim/2 + i}.
     */
    static float[] toRotateHalf(float[] w, int heads, int columns) {
        int rows = w.length / columns;
        int headDim = rows / heads;
        int half = headDim / 2;
        float[] r = new float[w.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                for (int j = 0; j < 2; j++) {
                    int from = h * headDim + 2 * i + j;
                    int to = h * headDim + j * half + i;
                    System.arraycopy(w, from * columns, r, to * columns, columns);
                }
            }
        }
        return r;
    }

    /** Adds an F32 tensor of shape {@code [rows, columns]} (or a vector when {@code rows == 0}). */
    static void put(GgufWriter w, Arena arena, String name, float[] values, int rows, int columns) {
        if (rows == 0) {
            w.addTensor(name, Tensor.ofFloats(arena, values, columns));
        } else {
            w.addTensor(name, Tensor.ofFloats(arena, values, rows, columns));
        }
    }

    /** Writes the {@code <arch>.*} hyper-parameters of a model. */
    static GgufWriter header(String arch, int dim, int layers, int heads, int kvHeads, int ffn, int context) {
        return new GgufWriter()
                .putString("general.architecture", arch)
                .putUInt32(arch + ".context_length", context)
                .putUInt32(arch + ".embedding_length", dim)
                .putUInt32(arch + ".block_count", layers)
                .putUInt32(arch + ".feed_forward_length", ffn)
                .putUInt32(arch + ".attention.head_count", heads)
                .putUInt32(arch + ".attention.head_count_kv", kvHeads)
                .putFloat32(arch + ".attention.layer_norm_rms_epsilon", 1e-5f);
    }

    /** The stories260K header renamed to another architecture. */
    static GgufWriter headerFrom(GgufFile llama, String arch) {
        GgufWriter w = new GgufWriter();
        for (String key : llama.metadata().keySet()) {
            GgufValueType t = llama.valueType(key);
            Object v = llama.metadata().get(key);
            String renamed = key.startsWith("llama.") ? arch + key.substring(5) : key;
            if (key.equals("general.architecture")) {
                w.putString(key, arch);
            } else if (t == GgufValueType.ARRAY) {
                w.putArray(renamed, llama.arrayElementType(key), v);
            } else {
                w.put(renamed, t, v);
            }
        }
        return w;
    }
}
