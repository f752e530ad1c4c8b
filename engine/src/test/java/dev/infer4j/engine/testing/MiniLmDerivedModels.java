package dev.infer4j.engine.testing;

import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.models.onnx.OnnxModelFile;
import dev.infer4j.models.registry.EncoderModelFiles;
import dev.infer4j.models.registry.ModelRegistry;
import dev.infer4j.models.testing.OnnxProtoWriter;
import dev.infer4j.models.testing.SafetensorsWriter;
import dev.infer4j.models.weights.StoredTensor;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Models derived from the real all-MiniLM-L6-v2 export, written by tests so that ONNX Runtime can
 * serve as the reference: the encoder with a random sequence-classification head (no real classifier
 * or cross-encoder ships in a package here), and the same weights as a safetensors model directory.
 */
public final class MiniLmDerivedModels {
    private MiniLmDerivedModels() {
    }

    public static Path miniLmOnnx() {
        try (EncoderModelFiles files = ModelRegistry.userDefault().openEncoder("all-minilm-l6-v2")) {
            return files.weights().file();
        }
    }

    public static Path miniLmTokenizer() {
        try (EncoderModelFiles files = ModelRegistry.userDefault().openEncoder("all-minilm-l6-v2")) {
            return files.tokenizerJson();
        }
    }

    private static String config(String architecture, String id2label) {
        return """
                {"architectures": ["%s"], "model_type": "bert", "vocab_size": 30522, "hidden_size": 384,
                 "num_hidden_layers": 6, "num_attention_heads": 12, "intermediate_size": 1536,
                 "max_position_embeddings": 512, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
                 "hidden_act": "gelu", "position_embedding_type": "absolute"%s}
                """.formatted(architecture, id2label.isEmpty() ? "" : ", \"id2label\": " + id2label);
    }

    /**
     * A {@code BertForSequenceClassification}-style ONNX model in {@code dir}: MiniLM, then the
     * {@code [CLS]} state through {@code pooler.dense} + tanh and a classifier of {@code labels.size()}
     * outputs with random weights; its output is {@code logits}.
     */
    public static Path classifierDirectory(Path dir, List<String> labels, long seed) throws IOException {
        int hidden = 384;
        int n = labels.size();
        Random random = new Random(seed);
        List<byte[]> nodes = List.of(
                OnnxProtoWriter.node("/head/Gather", "Gather", "", List.of("last_hidden_state", "head.cls_index"),
                        List.of("cls_state"), Map.of("axis", 1L)),
                OnnxProtoWriter.node("/pooler/dense/MatMul", "MatMul", "", List.of("cls_state", "onnx::MatMul_pooler"),
                        List.of("pooler_mm"), Map.of()),
                OnnxProtoWriter.node("/pooler/dense/Add", "Add", "", List.of("pooler.dense.bias", "pooler_mm"),
                        List.of("pooler_add"), Map.of()),
                OnnxProtoWriter.node("/pooler/activation/Tanh", "Tanh", "", List.of("pooler_add"), List.of("pooled"), Map.of()),
                OnnxProtoWriter.node("/classifier/MatMul", "MatMul", "", List.of("pooled", "onnx::MatMul_classifier"),
                        List.of("classifier_mm"), Map.of()),
                OnnxProtoWriter.node("/classifier/Add", "Add", "", List.of("classifier.bias", "classifier_mm"),
                        List.of("logits"), Map.of()));
        List<byte[]> initializers = List.of(
                OnnxProtoWriter.tensor("head.cls_index", OnnxProtoWriter.INT64, new long[0], new byte[8], false),
                OnnxProtoWriter.tensor("onnx::MatMul_pooler", OnnxProtoWriter.FLOAT, new long[] {hidden, hidden},
                        OnnxProtoWriter.floatsLE(gaussian(random, hidden * hidden, 0.06)), false),
                OnnxProtoWriter.tensor("pooler.dense.bias", OnnxProtoWriter.FLOAT, new long[] {hidden},
                        OnnxProtoWriter.floatsLE(gaussian(random, hidden, 0.05)), false),
                OnnxProtoWriter.tensor("onnx::MatMul_classifier", OnnxProtoWriter.FLOAT, new long[] {hidden, n},
                        OnnxProtoWriter.floatsLE(gaussian(random, hidden * n, 0.15)), false),
                OnnxProtoWriter.tensor("classifier.bias", OnnxProtoWriter.FLOAT, new long[] {n},
                        OnnxProtoWriter.floatsLE(gaussian(random, n, 0.1)), false));
        byte[] model = OnnxProtoWriter.extendGraph(Files.readAllBytes(miniLmOnnx()), nodes, initializers,
                List.of(OnnxProtoWriter.valueInfo("logits", OnnxProtoWriter.FLOAT, -1, n)));
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), model);
        StringBuilder id2label = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            id2label.append(i == 0 ? "" : ", ").append('"').append(i).append("\": \"").append(labels.get(i)).append('"');
        }
        Files.writeString(dir.resolve("config.json"), config("BertForSequenceClassification", id2label.append('}').toString()));
        Files.copy(miniLmTokenizer(), dir.resolve("tokenizer.json"));
        return dir;
    }

    /**
     * MiniLM as a sentence-transformers directory with {@code model.safetensors} in {@code dtype}
     * (F32, F16 or BF16): the ONNX initializers under their PyTorch names, Linear weights transposed back
     * to {@code [out, in]}; mean pooling, Normalize, max_seq_length 256.
     */
    public static Path safetensorsDirectory(Path dir, String dtype) throws IOException {
        Files.createDirectories(dir.resolve("1_Pooling"));
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        try (OnnxModelFile onnx = OnnxModelFile.open(miniLmOnnx())) {
            for (String name : onnx.names()) {
                if (name.equals("embeddings.position_ids")) {
                    continue;
                }
                StoredTensor t = onnx.require(name);
                Tensor tensor = t.tensor();
                long[] shape = tensor.shape();
                float[] values = new float[(int) tensor.elementCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = tensor.segment().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
                }
                if (t.layout() == WeightLayout.IN_OUT && shape.length == 2) {
                    values = transpose(values, (int) shape[0], (int) shape[1]);
                    shape = new long[] {shape[1], shape[0]};
                }
                writer.add(name, dtype, shape, encode(values, dtype));
            }
        }
        writer.write(dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), config("BertModel", ""));
        Files.copy(miniLmTokenizer(), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                 {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]""");
        Files.writeString(dir.resolve("1_Pooling/config.json"), """
                {"word_embedding_dimension": 384, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
                 "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}""");
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256, \"do_lower_case\": false}");
        return dir;
    }

    private static float[] transpose(float[] values, int rows, int columns) {
        float[] t = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                t[c * rows + r] = values[r * columns + c];
            }
        }
        return t;
    }

    private static byte[] encode(float[] values, String dtype) {
        return switch (dtype) {
            case "F32" -> OnnxProtoWriter.floatsLE(values);
            case "F16", "BF16" -> {
                ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    b.putShort(dtype.equals("F16") ? Float.floatToFloat16(v) : (short) (Float.floatToIntBits(v) + 0x7FFF
                            + ((Float.floatToIntBits(v) >>> 16) & 1) >>> 16));
                }
                yield b.array();
            }
            default -> throw new IllegalArgumentException(dtype);
        };
    }

    private static float[] gaussian(Random random, int count, double std) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return v;
    }
}
