package dev.infer4j.models.llama;

import static dev.infer4j.models.llama.SyntheticModels.concat;
import static dev.infer4j.models.llama.SyntheticModels.floats;
import static dev.infer4j.models.llama.SyntheticModels.put;
import static dev.infer4j.models.llama.SyntheticModels.random;
import static dev.infer4j.models.llama.SyntheticModels.toRotateHalf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.gguf.GgufValueType;
import dev.infer4j.models.gguf.GgufWriter;
import dev.infer4j.models.testing.SharedModels;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layouts that differ from llama (Phi-3's fused matrices and NeoX RoPE, Qwen2's Q/K/V biases, Llama-3
 * frequency factors, linear RoPE scaling, Mistral-style 4:1 grouped-query attention), each on a GGUF file written
 * by {@link GgufWriter}, checked against the plain oracle {@link NaiveLlama} or against the real stories260K model.
 */
class LlamaArchitecturesTest {
    private static final int[] PROMPT = {1, 403, 407, 261, 378, 432, 383};

    @TempDir
    Path dir;

    static float[][] logits(Path model, int[] tokens) {
        try (GgufFile file = GgufFile.open(model); Backend backend = Backends.create("cpu", 2)) {
            LlamaModel m = LlamaModel.load(file, backend, 32, 32);
            KvCache cache = m.newKvCache(1, 64);
            ForwardBatch b = m.newBatch();
            b.add(0, 0, tokens, 0, tokens.length, ForwardBatch.Logits.ALL);
            m.forward(b, cache);
            float[][] out = new float[tokens.length][m.config().vocabSize()];
            for (int i = 0; i < tokens.length; i++) {
                m.readLogits(i, out[i]);
            }
            return out;
        }
    }

    static float maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static Path stories() {
        return SharedModels.file("models/stories260K/stories260K.gguf");
    }

    private static NaiveLlama.Params storiesParams(boolean neox, boolean fused, boolean bias) {
        return new NaiveLlama.Params(64, 5, 8, 4, 172, 1e-5, 10000, neox, null, 1, fused, fused, bias);
    }

    @Test
    void theOracleAgreesWithTheModelOnStories260k() {
        float[][] ours = logits(stories(), PROMPT);
        try (GgufFile f = GgufFile.open(stories())) {
            float[] oracle = new NaiveLlama(f, storiesParams(false, false, false)).lastLogits(PROMPT);
            assertTrue(maxDiff(oracle, ours[PROMPT.length - 1]) < 1e-3, "diff " + maxDiff(oracle, ours[PROMPT.length - 1]));
        }
    }

    @Test
    void phi3FusedMatricesAndNeoxRopeGiveTheSameModelAsLlamaLayout() {
        Path phi3 = dir.resolve("phi3.gguf");
        try (GgufFile src = GgufFile.open(stories()); Arena arena = Arena.ofConfined()) {
            GgufWriter w = SyntheticModels.headerFrom(src, "phi3");
            put(w, arena, "token_embd.weight", floats(src.tensor("token_embd.weight")), 512, 64);
            put(w, arena, "output_norm.weight", floats(src.tensor("output_norm.weight")), 0, 64);
            put(w, arena, "output.weight", floats(src.tensor("output.weight")), 512, 64);
            for (int l = 0; l < 5; l++) {
                String b = "blk." + l + ".";
                float[] q = toRotateHalf(floats(src.tensor(b + "attn_q.weight")), 8, 64);
                float[] k = toRotateHalf(floats(src.tensor(b + "attn_k.weight")), 4, 64);
                put(w, arena, b + "attn_norm.weight", floats(src.tensor(b + "attn_norm.weight")), 0, 64);
                put(w, arena, b + "attn_qkv.weight", concat(q, k, floats(src.tensor(b + "attn_v.weight"))), 128, 64);
                put(w, arena, b + "attn_output.weight", floats(src.tensor(b + "attn_output.weight")), 64, 64);
                put(w, arena, b + "ffn_norm.weight", floats(src.tensor(b + "ffn_norm.weight")), 0, 64);
                put(w, arena, b + "ffn_up.weight", concat(floats(src.tensor(b + "ffn_gate.weight")),
                        floats(src.tensor(b + "ffn_up.weight"))), 344, 64);
                put(w, arena, b + "ffn_down.weight", floats(src.tensor(b + "ffn_down.weight")), 64, 172);
            }
            w.write(phi3);
        }
        float[][] llama = logits(stories(), PROMPT);
        float[][] fused = logits(phi3, PROMPT);
        for (int i = 0; i < PROMPT.length; i++) {
            assertTrue(maxDiff(llama[i], fused[i]) < 1e-4, "position " + i + ": " + maxDiff(llama[i], fused[i]));
        }
        try (GgufFile f = GgufFile.open(phi3)) {
            float[] oracle = new NaiveLlama(f, storiesParams(true, true, false)).lastLogits(PROMPT);
            assertTrue(maxDiff(oracle, fused[PROMPT.length - 1]) < 1e-3);
        }
    }

    @Test
    void qwen2BiasesNeoxRopeAndTiedOutput() {
        Path qwen = dir.resolve("qwen2.gguf");
        SplittableRandom r = new SplittableRandom(17);
        try (GgufFile src = GgufFile.open(stories()); Arena arena = Arena.ofConfined()) {
            GgufWriter w = SyntheticModels.headerFrom(src, "qwen2");
            put(w, arena, "token_embd.weight", floats(src.tensor("token_embd.weight")), 512, 64);
            put(w, arena, "output_norm.weight", floats(src.tensor("output_norm.weight")), 0, 64);
            for (int l = 0; l < 5; l++) {
                String b = "blk." + l + ".";
                put(w, arena, b + "attn_norm.weight", floats(src.tensor(b + "attn_norm.weight")), 0, 64);
                put(w, arena, b + "attn_q.weight", toRotateHalf(floats(src.tensor(b + "attn_q.weight")), 8, 64), 64, 64);
                put(w, arena, b + "attn_k.weight", toRotateHalf(floats(src.tensor(b + "attn_k.weight")), 4, 64), 32, 64);
                put(w, arena, b + "attn_v.weight", floats(src.tensor(b + "attn_v.weight")), 32, 64);
                put(w, arena, b + "attn_q.bias", random(r, 64, 0.5), 0, 64);
                put(w, arena, b + "attn_k.bias", random(r, 32, 0.5), 0, 32);
                put(w, arena, b + "attn_v.bias", random(r, 32, 0.5), 0, 32);
                for (String t : new String[] {"attn_output", "ffn_gate", "ffn_up", "ffn_down", "ffn_norm"}) {
                    var tensor = src.tensor(b + t + ".weight");
                    w.addTensor(b + t + ".weight", tensor);
                }
            }
            w.write(qwen);
        }
        float[][] ours = logits(qwen, PROMPT);
        try (GgufFile f = GgufFile.open(qwen)) {
            float[] oracle = new NaiveLlama(f, storiesParams(true, false, true)).lastLogits(PROMPT);
            float d = maxDiff(oracle, ours[PROMPT.length - 1]);
            assertTrue(d < 1e-3, "diff " + d);
        }
        float[][] untouched = logits(stories(), PROMPT);
        assertTrue(maxDiff(untouched[PROMPT.length - 1], ours[PROMPT.length - 1]) > 0.1, "the biases and tied output matter");
    }

    private static final int DIM = 64;
    private static final int HEADS = 8;
    private static final int KV_HEADS = 2;
    private static final int FFN = 96;
    private static final int VOCAB = 40;
    private static final int LAYERS = 2;

    /** A random llama-arch model with 4:1 grouped-query attention; {@code extra} adds metadata, {@code factors} rope_freqs. */
    private static void writeRandomLlama(Path file, SplittableRandom r, java.util.function.Consumer<GgufWriter> extra,
                                         float[] factors) {
        try (Arena arena = Arena.ofConfined()) {
            GgufWriter w = SyntheticModels.header("llama", DIM, LAYERS, HEADS, KV_HEADS, FFN, 8192)
                    .put("llama.vocab_size", GgufValueType.UINT32, VOCAB);
            extra.accept(w);
            put(w, arena, "token_embd.weight", random(r, VOCAB * DIM, 1), VOCAB, DIM);
            if (factors != null) {
                put(w, arena, "rope_freqs.weight", factors, 0, factors.length);
            }
            put(w, arena, "output_norm.weight", SyntheticModels.ones(r, DIM), 0, DIM);
            put(w, arena, "output.weight", random(r, VOCAB * DIM, 0.2), VOCAB, DIM);
            int kvDim = KV_HEADS * DIM / HEADS;
            for (int l = 0; l < LAYERS; l++) {
                String b = "blk." + l + ".";
                put(w, arena, b + "attn_norm.weight", SyntheticModels.ones(r, DIM), 0, DIM);
                put(w, arena, b + "attn_q.weight", random(r, DIM * DIM, 0.3), DIM, DIM);
                put(w, arena, b + "attn_k.weight", random(r, kvDim * DIM, 0.3), kvDim, DIM);
                put(w, arena, b + "attn_v.weight", random(r, kvDim * DIM, 0.3), kvDim, DIM);
                put(w, arena, b + "attn_output.weight", random(r, DIM * DIM, 0.1), DIM, DIM);
                put(w, arena, b + "ffn_norm.weight", SyntheticModels.ones(r, DIM), 0, DIM);
                put(w, arena, b + "ffn_gate.weight", random(r, FFN * DIM, 0.2), FFN, DIM);
                put(w, arena, b + "ffn_up.weight", random(r, FFN * DIM, 0.2), FFN, DIM);
                put(w, arena, b + "ffn_down.weight", random(r, DIM * FFN, 0.1), DIM, FFN);
            }
            w.write(file);
        }
    }

    private static int[] randomTokens(SplittableRandom r, int n) {
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = r.nextInt(VOCAB);
        }
        return tokens;
    }

    private static NaiveLlama.Params randomLlamaParams(double theta, float[] factors, double positionScale) {
        return new NaiveLlama.Params(DIM, LAYERS, HEADS, KV_HEADS, FFN, 1e-5, theta, false, factors, positionScale,
                false, false, false);
    }

    @Test
    void llama3FrequencyFactorsLinearScalingAndFourToOneGqa() {
        SplittableRandom r = new SplittableRandom(3);
        float[] factors = new float[4];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = (float) (1 + 7 * r.nextDouble());
        }
        Path file = dir.resolve("llama3.gguf");
        writeRandomLlama(file, r, w -> w.putFloat32("llama.rope.freq_base", 500000f)
                .putString("llama.rope.scaling.type", "linear")
                .putFloat32("llama.rope.scaling.factor", 2f), factors);
        int[] tokens = randomTokens(r, 20);
        float[][] ours = logits(file, tokens);
        try (GgufFile f = GgufFile.open(file)) {
            float d = maxDiff(new NaiveLlama(f, randomLlamaParams(500000, factors, 0.5)).lastLogits(tokens),
                    ours[tokens.length - 1]);
            assertTrue(d < 1e-3, "diff " + d);
            assertTrue(maxDiff(new NaiveLlama(f, randomLlamaParams(500000, null, 0.5)).lastLogits(tokens),
                    ours[tokens.length - 1]) > 1e-2, "the factors change the result, so the test would see them ignored");
        }
    }

    @Test
    void mistralLayoutIsLlamaWithItsSlidingWindowIgnored() {
        SplittableRandom r = new SplittableRandom(5);
        Path file = dir.resolve("mistral.gguf");
        // Mistral 7B's GGUF: arch llama, rope base 1e6, 32 heads over 8 KV heads (here 8 over 2), a 4096 sliding window
        writeRandomLlama(file, r, w -> w.putString("general.name", "mistral")
                .putFloat32("llama.rope.freq_base", 1000000f)
                .putUInt32("llama.attention.sliding_window", 4096), null);
        int[] tokens = randomTokens(r, 24);
        float[][] ours = logits(file, tokens);
        try (GgufFile f = GgufFile.open(file)) {
            float d = maxDiff(new NaiveLlama(f, randomLlamaParams(1e6, null, 1)).lastLogits(tokens), ours[tokens.length - 1]);
            assertTrue(d < 1e-3, "diff " + d);
        }
    }
}
