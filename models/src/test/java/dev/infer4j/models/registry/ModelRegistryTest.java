package dev.infer4j.models.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.models.bert.BertConfig;
import dev.infer4j.models.bert.BertParameters;
import dev.infer4j.models.bert.PoolingMode;
import dev.infer4j.models.testing.SafetensorsWriter;
import dev.infer4j.models.weights.ModelFormatException;
import dev.infer4j.models.weights.StoredTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @TempDir
    Path dir;

    private static final String[] LAYER_PARAMETERS = {
            BertParameters.QUERY_WEIGHT, BertParameters.QUERY_BIAS, BertParameters.KEY_WEIGHT, BertParameters.KEY_BIAS,
            BertParameters.VALUE_WEIGHT, BertParameters.VALUE_BIAS, BertParameters.ATTENTION_OUT_WEIGHT,
            BertParameters.ATTENTION_OUT_BIAS, BertParameters.ATTENTION_NORM_WEIGHT, BertParameters.ATTENTION_NORM_BIAS,
            BertParameters.INTERMEDIATE_WEIGHT, BertParameters.INTERMEDIATE_BIAS, BertParameters.OUTPUT_WEIGHT,
            BertParameters.OUTPUT_BIAS, BertParameters.OUTPUT_NORM_WEIGHT, BertParameters.OUTPUT_NORM_BIAS};

    private static void assertBertParameters(EncoderModelFiles m, int layers) {
        BertConfig c = m.config();
        assertEquals(layers, c.layers());
        assertEquals(384, c.hiddenSize());
        assertEquals(12, c.heads());
        assertEquals(1536, c.intermediateSize());
        assertEquals(30522, c.vocabSize());
        assertEquals(512, c.maxPositions());
        assertEquals(2, c.typeVocabSize());
        for (int l = 0; l < layers; l++) {
            for (String p : LAYER_PARAMETERS) {
                StoredTensor t = m.weights().require(BertParameters.layer(l, p));
                if (p.endsWith("weight") && t.tensor().rank() == 2) {
                    assertEquals(WeightLayout.IN_OUT, t.layout(), p);
                }
            }
        }
        assertArrayEquals(new long[] {384, 1536}, m.weights().require(BertParameters.layer(0, BertParameters.INTERMEDIATE_WEIGHT)).tensor().shape());
        assertArrayEquals(new long[] {1536, 384}, m.weights().require(BertParameters.layer(layers - 1, BertParameters.OUTPUT_WEIGHT)).tensor().shape());
        assertArrayEquals(new long[] {30522, 384}, m.weights().require(BertParameters.WORD_EMBEDDINGS).tensor().shape());
    }

    @Test
    void extractsAndMapsTheDefaultModelFromItsJar() throws IOException {
        ModelRegistry registry = new ModelRegistry(new ModelCache(dir));
        try (EncoderModelFiles m = registry.openEncoder("all-minilm-l6-v2")) {
            assertEquals("all-minilm-l6-v2", m.name());
            assertEquals(PoolingMode.MEAN, m.pooling());
            assertEquals(256, m.maxTokens());
            assertTrue(m.normalize());
            assertTrue(m.weights().file().startsWith(dir));
            assertEquals(90_387_606L, Files.size(m.weights().file()));
            assertTrue(Files.readString(m.tokenizerJson()).contains("\"WordPiece\""));
            assertBertParameters(m, 6);
        }
        // the HF id is an alias; the second open uses the cache
        try (EncoderModelFiles m = registry.openEncoder("sentence-transformers/all-MiniLM-L6-v2")) {
            assertEquals("all-minilm-l6-v2", m.name());
        }
    }

    @Test
    void bgeSmallHasTwelveLayersAndClsPooling() {
        try (EncoderModelFiles m = ModelRegistry.userDefault().openEncoder("bge-small-en-v1.5")) {
            assertEquals(PoolingMode.CLS, m.pooling());
            assertEquals(512, m.maxTokens());
            assertTrue(m.normalize());
            assertBertParameters(m, 12);
        }
    }

    @Test
    void unknownNamesListTheBuiltIns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelRegistry.userDefault().openEncoder("no-such-model"));
        assertTrue(e.getMessage().contains("no-such-model") && e.getMessage().contains("all-minilm-l6-v2")
                && e.getMessage().contains("bge-small-en-v1.5"), e.getMessage());
    }

    /** A tiny BERT in a sentence-transformers directory layout. */
    private Path sentenceTransformersDir(String poolingJson, String modulesJson) throws IOException {
        Path model = dir.resolve("st-model");
        Files.createDirectories(model.resolve("1_Pooling"));
        Files.writeString(model.resolve("config.json"), """
                {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": 8, "hidden_size": 4,
                 "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 8,
                 "max_position_embeddings": 16, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu"}""");
        Files.writeString(model.resolve("tokenizer.json"), "{}");
        Files.writeString(model.resolve("modules.json"), modulesJson);
        Files.writeString(model.resolve("1_Pooling/config.json"), poolingJson);
        Files.writeString(model.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 12, \"do_lower_case\": false}");
        new SafetensorsWriter().addFloats("embeddings.word_embeddings.weight", new long[] {8, 4}, new float[32])
                .write(model.resolve("model.safetensors"));
        return model;
    }

    private static final String MODULES = """
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
             {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]""";

    @Test
    void readsSentenceTransformersSettings() throws IOException {
        Path model = sentenceTransformersDir("{\"word_embedding_dimension\": 4, \"pooling_mode_cls_token\": true, "
                + "\"pooling_mode_mean_tokens\": false}", MODULES);
        try (EncoderModelFiles m = ModelRegistry.userDefault().openEncoder(model.toString())) {
            assertEquals(PoolingMode.CLS, m.pooling());
            assertTrue(m.normalize());
            assertEquals(12, m.maxTokens());
            assertEquals(2, m.config().heads());
            assertEquals(WeightLayout.OUT_IN, m.weights().require(BertParameters.WORD_EMBEDDINGS).layout());
        }
        // the weight file itself resolves to its directory
        try (EncoderModelFiles m = ModelRegistry.userDefault().openEncoder(model.resolve("model.safetensors").toString())) {
            assertEquals(PoolingMode.CLS, m.pooling());
        }
    }

    @Test
    void unsupportedSettingsAreNamed() throws IOException {
        Path max = sentenceTransformersDir("{\"pooling_mode_max_tokens\": true}", MODULES);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfModelDirectory.open(max));
        assertTrue(e.getMessage().contains("1_Pooling") && e.getMessage().contains("not supported"), e.getMessage());

        Files.writeString(max.resolve("modules.json"), MODULES.replace("Normalize\"}", "Normalize\"}, {\"idx\": 3, "
                + "\"name\": \"3\", \"path\": \"3_Dense\", \"type\": \"sentence_transformers.models.Dense\"}"));
        Files.writeString(max.resolve("1_Pooling/config.json"), "{\"pooling_mode_mean_tokens\": true}");
        e = assertThrows(ModelFormatException.class, () -> HfModelDirectory.open(max));
        assertTrue(e.getMessage().contains("modules.json") && e.getMessage().contains("Dense"), e.getMessage());

        Files.delete(max.resolve("config.json"));
        e = assertThrows(ModelFormatException.class, () -> HfModelDirectory.open(max));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void brokenConfigNamesTheField() throws IOException {
        Path model = sentenceTransformersDir("{\"pooling_mode_mean_tokens\": true}", MODULES);
        Files.writeString(model.resolve("config.json"), "{\"model_type\": \"bert\", \"vocab_size\": 8}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfModelDirectory.open(model));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("hidden_size"), e.getMessage());
        Files.writeString(model.resolve("config.json"), "{\"model_type\": ");
        e = assertThrows(ModelFormatException.class, () -> HfModelDirectory.open(model));
        assertTrue(e.getMessage().contains("cannot read JSON"), e.getMessage());
    }
}
