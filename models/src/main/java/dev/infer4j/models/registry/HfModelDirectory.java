package dev.infer4j.models.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infer4j.models.bert.BertConfig;
import dev.infer4j.models.bert.PoolingMode;
import dev.infer4j.models.onnx.OnnxModelFile;
import dev.infer4j.models.safetensors.SafetensorsFile;
import dev.infer4j.models.weights.ModelFormatException;
import dev.infer4j.models.weights.TensorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face model directory: {@code config.json}, {@code tokenizer.json}, weights in
 * {@code model.safetensors} (or an ONNX export: {@code model.onnx}, {@code onnx/model.onnx}), and the
 * sentence-transformers settings when present: {@code modules.json} with its Pooling module's
 * {@code config.json} (e.g. {@code 1_Pooling/config.json}) and a Normalize module, and
 * {@code sentence_bert_config.json}'s {@code max_seq_length}.
 */
public final class HfModelDirectory {
    private static final String POOLING_MODULE = "sentence_transformers.models.Pooling";
    private static final String NORMALIZE_MODULE = "sentence_transformers.models.Normalize";
    private static final String TRANSFORMER_MODULE = "sentence_transformers.models.Transformer";

    private HfModelDirectory() {
    }

    /** Opens the model in {@code dir}; throws {@link ModelFormatException} naming the file and problem. */
    public static EncoderModelFiles open(Path dir) {
        return open(dir, findWeights(dir));
    }

    /** Opens the model in {@code dir} with the given weight file ({@code .safetensors} or {@code .onnx}). */
    public static EncoderModelFiles open(Path dir, Path weightFile) {
        Path config = required(dir, "config.json");
        Path tokenizer = required(dir, "tokenizer.json");
        BertConfig bert = BertConfig.fromJson(config);
        PoolingMode pooling = PoolingMode.MEAN;
        boolean normalize = false;
        Path modules = dir.resolve("modules.json");
        if (Files.isRegularFile(modules)) {
            JsonNode list = readJson(modules);
            if (!list.isArray()) {
                throw new ModelFormatException(modules, null, "expected a JSON array of modules");
            }
            for (JsonNode module : list) {
                String type = module.path("type").asText();
                switch (type) {
                    case POOLING_MODULE -> pooling = poolingOf(dir.resolve(module.path("path").asText()).resolve("config.json"));
                    case NORMALIZE_MODULE -> normalize = true;
                    case TRANSFORMER_MODULE -> { }
                    default -> throw new ModelFormatException(modules, null, "sentence-transformers module '" + type
                            + "' is not supported (Transformer, Pooling and Normalize are)");
                }
            }
        } else if (Files.isRegularFile(dir.resolve("1_Pooling/config.json"))) {
            pooling = poolingOf(dir.resolve("1_Pooling/config.json"));
        }
        int maxTokens = bert.maxPositions();
        Path sentenceBert = dir.resolve("sentence_bert_config.json");
        if (Files.isRegularFile(sentenceBert)) {
            JsonNode max = readJson(sentenceBert).path("max_seq_length");
            if (max.canConvertToInt() && max.intValue() > 0) {
                maxTokens = Math.min(max.intValue(), bert.maxPositions());
            }
        }
        TensorStore weights = weightFile.getFileName().toString().endsWith(".onnx")
                ? OnnxModelFile.open(weightFile) : SafetensorsFile.open(weightFile);
        try {
            return new EncoderModelFiles(dir.toString(), weights, tokenizer, bert, pooling, maxTokens, normalize);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    private static Path findWeights(Path dir) {
        for (String candidate : new String[] {"model.safetensors", "model.onnx", "onnx/model.onnx"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        if (Files.isRegularFile(dir.resolve("model.safetensors.index.json"))) {
            throw new ModelFormatException(dir, null, "sharded safetensors checkpoints are not supported");
        }
        if (Files.isRegularFile(dir.resolve("pytorch_model.bin"))) {
            throw new ModelFormatException(dir.resolve("pytorch_model.bin"), null,
                    "PyTorch pickle checkpoints are not read; convert the model to model.safetensors");
        }
        throw new ModelFormatException(dir, null, "no weights: expected model.safetensors, model.onnx or onnx/model.onnx");
    }

    private static PoolingMode poolingOf(Path poolingConfig) {
        JsonNode c = readJson(poolingConfig);
        if (c.path("pooling_mode_cls_token").asBoolean(false)) {
            return PoolingMode.CLS;
        }
        if (c.path("pooling_mode_mean_tokens").asBoolean(false)) {
            return PoolingMode.MEAN;
        }
        if (c.path("pooling_mode_lasttoken").asBoolean(false)) {
            return PoolingMode.LAST_TOKEN;
        }
        throw new ModelFormatException(poolingConfig, null, "pooling mode " + c
                + " is not supported (CLS, mean and last-token are)");
    }

    private static Path required(Path dir, String name) {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new ModelFormatException(p, null, "missing: a model directory needs " + name);
        }
        return p;
    }

    static JsonNode readJson(Path file) {
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            if (n == null) {
                throw new ModelFormatException(file, null, "empty JSON file");
            }
            return n;
        } catch (IOException e) {
            throw new ModelFormatException(file, null, "cannot read JSON: " + e.getMessage(), e);
        }
    }
}
