package dev.infer4j.benchmarks.tornadovm;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.models.bert.BertConfig;
import dev.infer4j.models.bert.BertParameters;
import dev.infer4j.models.gguf.GgufWriter;
import dev.infer4j.models.weights.StoredTensor;
import dev.infer4j.models.weights.TensorStore;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random-weight models of real shapes, made where the benchmark runs (a GPU machine reaches no registry,
 * and a 1B model is too big to carry): Llama-family GGUF files written with {@link GgufWriter}, and BERT
 * parameters as an in-memory {@link TensorStore}. Values are small and finite; speed does not depend on them.
 */
final class ShapeModels {
    /** A Llama-family shape. */
    record LlamaShape(String name, int dim, int layers, int heads, int kvHeads, int ffn, int vocab, float theta) {
    }

    static final LlamaShape LLAMA_1B = new LlamaShape("llama-3.2-1b", 2048, 16, 32, 8, 8192, 128_256, 500_000f);
    /** Small enough for PoCL on two cores. */
    static final LlamaShape LLAMA_SMALL = new LlamaShape("llama-small", 512, 4, 8, 4, 1536, 8192, 10_000f);

    /** all-MiniLM-L6-v2's shape. */
    static final BertConfig MINILM = new BertConfig(30_522, 384, 6, 12, 1536, 512, 2, 1e-12f, BertConfig.Activation.GELU,
            List.of(), false);

    private ShapeModels() {
    }

    static LlamaShape llama(String name) {
        return switch (name) {
            case "llama-3.2-1b" -> LLAMA_1B;
            case "llama-small" -> LLAMA_SMALL;
            default -> throw new IllegalArgumentException("unknown shape '" + name + "' (llama-3.2-1b, llama-small)");
        };
    }

    /**
     * Writes (once; reused when present) a GGUF of {@code shape} with 2-D weights in {@code dtype} (F16, Q8_0 or
     * Q4_0), norms in F32 and tied embeddings, as Llama 3.2 has; returns its path.
     */
    static Path llamaGguf(LlamaShape shape, DType dtype, Path dir) throws java.io.IOException {
        Path file = dir.resolve(shape.name() + "-" + dtype + ".gguf");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(dir);
        int headDim = shape.dim() / shape.heads();
        int kvDim = shape.kvHeads() * headDim;
        SplittableRandom random = new SplittableRandom(42);
        try (Arena arena = Arena.ofConfined()) {
            String p = "llama.";
            GgufWriter w = new GgufWriter()
                    .putString("general.architecture", "llama")
                    .putString("general.name", shape.name() + " random " + dtype)
                    .putUInt32(p + "embedding_length", shape.dim())
                    .putUInt32(p + "block_count", shape.layers())
                    .putUInt32(p + "attention.head_count", shape.heads())
                    .putUInt32(p + "attention.head_count_kv", shape.kvHeads())
                    .putUInt32(p + "feed_forward_length", shape.ffn())
                    .putUInt32(p + "context_length", 8192)
                    .putUInt32(p + "rope.dimension_count", headDim)
                    .putFloat32(p + "attention.layer_norm_rms_epsilon", 1e-5f)
                    .putFloat32(p + "rope.freq_base", shape.theta())
                    .putUInt32("tokenizer.ggml.bos_token_id", 1);
            w.addTensor("token_embd.weight", matrix(arena, random, dtype, shape.vocab(), shape.dim()));
            w.addTensor("output_norm.weight", ones(arena, shape.dim()));
            for (int l = 0; l < shape.layers(); l++) {
                String b = "blk." + l + ".";
                w.addTensor(b + "attn_norm.weight", ones(arena, shape.dim()));
                w.addTensor(b + "attn_q.weight", matrix(arena, random, dtype, shape.dim(), shape.dim()));
                w.addTensor(b + "attn_k.weight", matrix(arena, random, dtype, kvDim, shape.dim()));
                w.addTensor(b + "attn_v.weight", matrix(arena, random, dtype, kvDim, shape.dim()));
                w.addTensor(b + "attn_output.weight", matrix(arena, random, dtype, shape.dim(), shape.dim()));
                w.addTensor(b + "ffn_norm.weight", ones(arena, shape.dim()));
                w.addTensor(b + "ffn_gate.weight", matrix(arena, random, dtype, shape.ffn(), shape.dim()));
                w.addTensor(b + "ffn_up.weight", matrix(arena, random, dtype, shape.ffn(), shape.dim()));
                w.addTensor(b + "ffn_down.weight", matrix(arena, random, dtype, shape.dim(), shape.ffn()));
            }
            Path partial = dir.resolve(file.getFileName() + ".partial");
            w.write(partial);
            Files.move(partial, file);
        }
        return file;
    }

    /** Bytes of the weights one decode step reads: every matrix once (the tied embedding as the output matrix). */
    static long weightBytesPerToken(LlamaShape shape, DType dtype) {
        long headDim = shape.dim() / shape.heads();
        long kvDim = shape.kvHeads() * headDim;
        long perLayer = 2L * shape.dim() * shape.dim() + 2L * kvDim * shape.dim() + 3L * shape.ffn() * shape.dim();
        return dtype.byteSize(perLayer) * shape.layers() + dtype.byteSize((long) shape.vocab() * shape.dim());
    }

    /** A random {@code rows × cols} matrix in {@code dtype}, values within about ±0.1. */
    static Tensor matrix(Arena arena, SplittableRandom random, DType dtype, long rows, long cols) {
        long count = rows * cols;
        MemorySegment s = arena.allocate(dtype.byteSize(count), 64);
        switch (dtype) {
            case F32 -> {
                for (long i = 0; i < count; i++) {
                    s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (random.nextDouble() * 0.2 - 0.1));
                }
            }
            case F16 -> {
                for (long i = 0; i < count; i++) {
                    s.setAtIndex(ValueLayout.JAVA_SHORT, i, smallHalf(random.nextInt()));
                }
            }
            case Q8_0, Q4_0 -> {
                long blocks = count / 32;
                int blockBytes = dtype.blockBytes();
                short scale = Float.floatToFloat16(dtype == DType.Q8_0 ? 1f / 1024 : 1f / 64);
                for (long b = 0; b < blocks; b++) {
                    long at = b * blockBytes;
                    s.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, scale);
                    for (int j = 2; j < blockBytes; j++) {
                        s.set(ValueLayout.JAVA_BYTE, at + j, (byte) random.nextInt());
                    }
                }
            }
            default -> throw new IllegalArgumentException("random " + dtype + " weights are not supported");
        }
        return Tensor.of(dtype, s, rows, cols);
    }

    /** A half with a random sign and mantissa and an exponent giving 2⁻⁷ .. 2⁻⁴: finite, small. */
    private static short smallHalf(int bits) {
        int exponent = 8 + ((bits >>> 10) & 3);
        return (short) ((bits & 0x83FF) | exponent << 10);
    }

    private static Tensor ones(Arena arena, int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return Tensor.ofFloats(arena, v, n);
    }

    /** BERT parameters of {@code config}'s shape with random F32 values, as a tensor store. */
    static TensorStore bert(BertConfig config, Arena arena) {
        SplittableRandom random = new SplittableRandom(7);
        Map<String, StoredTensor> all = new HashMap<>();
        int h = config.hiddenSize();
        int ffn = config.intermediateSize();
        put(all, BertParameters.WORD_EMBEDDINGS, matrix(arena, random, DType.F32, config.vocabSize(), h));
        put(all, BertParameters.POSITION_EMBEDDINGS, matrix(arena, random, DType.F32, config.maxPositions(), h));
        put(all, BertParameters.TOKEN_TYPE_EMBEDDINGS, matrix(arena, random, DType.F32, config.typeVocabSize(), h));
        put(all, BertParameters.EMBEDDINGS_NORM_WEIGHT, ones(arena, h));
        put(all, BertParameters.EMBEDDINGS_NORM_BIAS, vector(arena, random, h));
        for (int l = 0; l < config.layers(); l++) {
            for (String m : List.of(BertParameters.QUERY_WEIGHT, BertParameters.KEY_WEIGHT, BertParameters.VALUE_WEIGHT,
                    BertParameters.ATTENTION_OUT_WEIGHT)) {
                put(all, BertParameters.layer(l, m), matrix(arena, random, DType.F32, h, h));
            }
            for (String v : List.of(BertParameters.QUERY_BIAS, BertParameters.KEY_BIAS, BertParameters.VALUE_BIAS,
                    BertParameters.ATTENTION_OUT_BIAS, BertParameters.ATTENTION_NORM_BIAS, BertParameters.OUTPUT_BIAS,
                    BertParameters.OUTPUT_NORM_BIAS)) {
                put(all, BertParameters.layer(l, v), vector(arena, random, h));
            }
            put(all, BertParameters.layer(l, BertParameters.ATTENTION_NORM_WEIGHT), ones(arena, h));
            put(all, BertParameters.layer(l, BertParameters.OUTPUT_NORM_WEIGHT), ones(arena, h));
            put(all, BertParameters.layer(l, BertParameters.INTERMEDIATE_WEIGHT), matrix(arena, random, DType.F32, ffn, h));
            put(all, BertParameters.layer(l, BertParameters.INTERMEDIATE_BIAS), vector(arena, random, ffn));
            put(all, BertParameters.layer(l, BertParameters.OUTPUT_WEIGHT), matrix(arena, random, DType.F32, h, ffn));
        }
        return new TensorStore() {
            @Override
            public Path file() {
                return Path.of("random-" + config.hiddenSize() + "x" + config.layers() + "-bert");
            }

            @Override
            public Collection<String> names() {
                return all.keySet();
            }

            @Override
            public StoredTensor find(String name) {
                return all.get(name);
            }

            @Override
            public void close() {
            }
        };
    }

    private static Tensor vector(Arena arena, SplittableRandom random, int n) {
        return matrix(arena, random, DType.F32, 1, n).reshape(n);
    }

    private static void put(Map<String, StoredTensor> all, String name, Tensor t) {
        all.put(name, new StoredTensor(name, t, WeightLayout.OUT_IN));
    }
}
