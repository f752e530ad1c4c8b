package dev.infer4j.models.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.testing.SharedModels;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads the real files of {@code shared/models}. Expected values were read with gguf-py 0.15.0 (the
 * reference reader shipped in {@code shared/llama.cpp/gguf-py}), not with this code.
 */
class GgufFileTest {

    @Test
    void readsStories260kMetadataWithItsTypes() {
        try (GgufFile f = GgufFile.open(SharedModels.file("models/stories260K/stories260K.gguf"))) {
            assertEquals(3, f.version());
            assertEquals(32, f.alignment());
            Map<String, Object> m = f.metadata();
            assertEquals(19, m.size());
            assertEquals(List.of("tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type",
                    "tokenizer.ggml.model"), List.copyOf(m.keySet()).subList(0, 4));
            assertEquals("llama", m.get("general.architecture"));
            assertEquals(64L, m.get("llama.embedding_length"));
            assertEquals(4294967295L, m.get("tokenizer.ggml.padding_token_id"));
            assertEquals(1e-5f, m.get("llama.attention.layer_norm_rms_epsilon"));
            assertEquals(GgufValueType.UINT32, f.valueType("llama.block_count"));
            assertEquals(GgufValueType.ARRAY, f.valueType("tokenizer.ggml.tokens"));
            assertEquals(GgufValueType.STRING, f.arrayElementType("tokenizer.ggml.tokens"));
            assertEquals(GgufValueType.INT32, f.arrayElementType("tokenizer.ggml.token_type"));

            String[] tokens = (String[]) m.get("tokenizer.ggml.tokens");
            assertEquals(512, tokens.length);
            assertEquals("<unk>", tokens[0]);
            assertEquals("\u2581ha", tokens[300]);
            assertEquals("\u200a", tokens[511]);
            assertEquals(-41f, ((float[]) m.get("tokenizer.ggml.scores"))[300]);
            int[] types = (int[]) m.get("tokenizer.ggml.token_type");
            assertEquals(6, types[3]);
            assertEquals(1, types[300]);
        }
    }

    @Test
    void viewsStories260kTensorsInPlace() {
        try (GgufFile f = GgufFile.open(SharedModels.file("models/stories260K/stories260K.gguf"))) {
            assertEquals(48, f.names().size());
            GgufTensorInfo embd = f.tensorInfo("token_embd.weight");
            assertArrayEquals(new long[] {64, 512}, embd.ne());
            assertEquals(14176, f.dataOffset() + embd.dataOffset());
            assertEquals(1185120, f.dataOffset() + f.tensorInfo("blk.4.ffn_norm.weight").dataOffset());

            Tensor e = f.tensor("token_embd.weight");
            assertEquals(DType.F32, e.dtype());
            assertArrayEquals(new long[] {512, 64}, e.shape());
            assertEquals(-0.29474878311157227f, e.segment().getAtIndex(ValueLayout.JAVA_FLOAT, 0));
            assertEquals(0.5618956089019775f, e.segment().getAtIndex(ValueLayout.JAVA_FLOAT, 1));
            assertEquals(-0.424032598733902f, e.segment().getAtIndex(ValueLayout.JAVA_FLOAT, 512 * 64 - 1));

            Tensor down = f.tensor("blk.4.ffn_down.weight");
            assertArrayEquals(new long[] {64, 172}, down.shape());
            assertEquals(-0.04791264981031418f, down.segment().getAtIndex(ValueLayout.JAVA_FLOAT, 0));
            assertEquals(-0.0035068716388195753f, down.segment().getAtIndex(ValueLayout.JAVA_FLOAT, 64 * 172 - 1));

            Tensor norm = f.tensor("output_norm.weight");
            assertArrayEquals(new long[] {64}, norm.shape());
            assertEquals(2.4583089351654053f, norm.segment().getAtIndex(ValueLayout.JAVA_FLOAT, 0));
            assertNull(f.find("no.such.tensor"));
        }
    }

    @Test
    void readsQuantizedAndF16Files() {
        try (GgufFile f = GgufFile.open(SharedModels.file("models/stories260K/stories260K-Q8_0.gguf"))) {
            Tensor q = f.tensor("token_embd.weight");
            assertEquals(DType.Q8_0, q.dtype());
            assertEquals(34816, q.byteSize());
            assertEquals(49248, f.dataOffset() + f.tensorInfo("output.weight").dataOffset());
            assertEquals(DType.F32, f.tensor("blk.0.ffn_down.weight").dtype());
        }
        try (GgufFile f = GgufFile.open(SharedModels.file("models/llama-2-tiny-random/llama-2-tiny-random.gguf"))) {
            assertEquals(32000, ((String[]) f.metadata().get("tokenizer.ggml.tokens")).length);
            Tensor out = f.tensor("output.weight");
            assertEquals(DType.F16, out.dtype());
            assertArrayEquals(new long[] {32000, 8}, out.shape());
            assertEquals(1238560, f.dataOffset() + f.tensorInfo("output.weight").dataOffset());
            assertEquals(1L, f.metadata().get("general.file_type"));
        }
    }

    @Test
    void readsVocabularyOnlyFileWithoutTensors() {
        try (GgufFile f = GgufFile.open(SharedModels.file("models/llama.cpp-vocab/ggml-vocab-gpt-2.gguf"))) {
            assertTrue(f.names().isEmpty());
            assertEquals("gpt2", f.metadata().get("tokenizer.ggml.model"));
            assertEquals(50257, ((String[]) f.metadata().get("tokenizer.ggml.tokens")).length);
            assertFalse(((String[]) f.metadata().get("tokenizer.ggml.merges")).length == 0);
        }
    }

    @Test
    void typedMetadataAccessorsNameTheKeyOnMisuse() {
        try (GgufFile f = GgufFile.open(SharedModels.file("models/stories260K/stories260K.gguf"))) {
            GgufMetadata m = f.meta();
            assertEquals(5, m.intInRange("llama.block_count", 1, 1000));
            assertEquals(10000.0, m.real("llama.rope.freq_base", 10000.0));
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.infer4j.models.weights.ModelFormatException.class,
                    () -> m.string("llama.block_count"));
            assertTrue(e.getMessage().contains("'llama.block_count' must be a string, found Long"), e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(dev.infer4j.models.weights.ModelFormatException.class,
                    () -> m.integer("llama.no_such_key"));
            assertTrue(e.getMessage().contains("'llama.no_such_key' is missing"), e.getMessage());
        }
    }
}
