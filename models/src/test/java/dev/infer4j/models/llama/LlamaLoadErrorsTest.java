package dev.infer4j.models.llama;

import static dev.infer4j.models.llama.SyntheticModels.put;
import static dev.infer4j.models.llama.SyntheticModels.random;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.gguf.GgufWriter;
import dev.infer4j.models.weights.ModelFormatException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the Llama loader must refuse, each with a message naming the file's problem. */
class LlamaLoadErrorsTest {
    @TempDir
    Path dir;

    /** A valid one-layer llama file, changed by {@code edit} before the tensors are added. */
    private Path model(String arch, Consumer<GgufWriter> edit, boolean dropGate, int qRows) {
        SplittableRandom r = new SplittableRandom(1);
        Path p = dir.resolve("m.gguf");
        try (Arena arena = Arena.ofConfined()) {
            GgufWriter w = SyntheticModels.header(arch, 16, 1, 2, 2, 32, 64);
            edit.accept(w);
            put(w, arena, "token_embd.weight", random(r, 10 * 16, 1), 10, 16);
            put(w, arena, "output_norm.weight", random(r, 16, 1), 0, 16);
            String b = "blk.0.";
            put(w, arena, b + "attn_norm.weight", random(r, 16, 1), 0, 16);
            put(w, arena, b + "attn_q.weight", random(r, qRows * 16, 1), qRows, 16);
            put(w, arena, b + "attn_k.weight", random(r, 256, 1), 16, 16);
            put(w, arena, b + "attn_v.weight", random(r, 256, 1), 16, 16);
            put(w, arena, b + "attn_output.weight", random(r, 256, 1), 16, 16);
            put(w, arena, b + "ffn_norm.weight", random(r, 16, 1), 0, 16);
            if (!dropGate) {
                put(w, arena, b + "ffn_gate.weight", random(r, 512, 1), 32, 16);
            }
            put(w, arena, b + "ffn_up.weight", random(r, 512, 1), 32, 16);
            put(w, arena, b + "ffn_down.weight", random(r, 512, 1), 16, 32);
            w.write(p);
        }
        return p;
    }

    private static String loadError(Path p) {
        try (GgufFile f = GgufFile.open(p); Backend backend = Backends.create("cpu", 1)) {
            return assertThrows(ModelFormatException.class, () -> LlamaModel.load(f, backend, 4, 4)).getMessage();
        }
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' missing in: " + message);
        }
    }

    @Test
    void validFileLoads() {
        try (GgufFile f = GgufFile.open(model("llama", w -> { }, false, 16)); Backend backend = Backends.create("cpu", 1)) {
            LlamaModel m = LlamaModel.load(f, backend, 4, 4);
            assertTrue(m.config().vocabSize() == 10 && m.config().headDim() == 8);
        }
    }

    @Test
    void unsupportedArchitectureIsNamed() {
        assertMentions(loadError(model("gemma", w -> { }, false, 16)), "architecture 'gemma' is not supported",
                "llama", "qwen2", "phi3");
    }

    @Test
    void missingOrMisshapedTensorsAreNamed() {
        assertMentions(loadError(model("llama", w -> { }, true, 16)), "blk.0.ffn_gate.weight", "missing tensor");
        assertMentions(loadError(model("llama", w -> { }, false, 24)), "blk.0.attn_q.weight",
                "expected shape [16, 16]", "[24, 16]");
    }

    @Test
    void impossibleHyperParametersAreNamed() {
        assertMentions(loadError(model("llama", w -> w.putUInt32("llama.attention.head_count_kv", 3), false, 16)),
                "head_count_kv");
        assertMentions(loadError(model("llama", w -> w.remove("llama.attention.layer_norm_rms_epsilon"), false, 16)),
                "llama.attention.layer_norm_rms_epsilon", "missing");
        assertMentions(loadError(model("llama", w -> w.putUInt32("llama.expert_count", 8), false, 16)),
                "mixture-of-experts");
        assertMentions(loadError(model("llama", w -> w.putString("llama.rope.scaling.type", "yarn"), false, 16)),
                "RoPE scaling 'yarn' is not supported");
        assertMentions(loadError(model("llama", w -> w.putUInt32("llama.rope.dimension_count", 4), false, 16)),
                "rope.dimension_count 4");
        assertMentions(loadError(model("llama", w -> w.putString("llama.block_count", "one"), false, 16)),
                "llama.block_count", "must be an integer");
    }
}
