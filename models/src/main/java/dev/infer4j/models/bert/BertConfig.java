package dev.infer4j.models.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infer4j.models.weights.ModelFormatException;
import dev.infer4j.models.weights.StoredTensor;
import dev.infer4j.models.weights.TensorStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hyper-parameters of a BERT-family encoder, as in a Hugging Face {@code config.json}.
 *
 * @param vocabSize        rows of the word embedding table
 * @param hiddenSize       model width
 * @param layers           transformer layers
 * @param heads            attention heads ({@code hiddenSize} must be a multiple)
 * @param intermediateSize FFN width
 * @param maxPositions     rows of the position embedding table: the longest input
 * @param typeVocabSize    rows of the token-type embedding table
 * @param layerNormEps     LayerNorm epsilon
 * @param activation       FFN activation
 * @param labels           classification label names by id (empty when the model has no classification head)
 * @param multiLabel       whether labels are independent (sigmoid) rather than exclusive (softmax)
 */
public record BertConfig(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize, int maxPositions,
                         int typeVocabSize, float layerNormEps, Activation activation, List<String> labels, boolean multiLabel) {

    /** FFN activations BERT-family configs name. */
    public enum Activation {
        /** {@code gelu}: exact, with erf. */
        GELU,
        /** {@code gelu_new}, {@code gelu_pytorch_tanh}: the tanh approximation. */
        GELU_TANH
    }

    public BertConfig {
        if (vocabSize <= 0 || hiddenSize <= 0 || layers <= 0 || heads <= 0 || intermediateSize <= 0
                || maxPositions <= 0 || typeVocabSize <= 0) {
            throw new IllegalArgumentException("BERT dimensions must be positive: " + describe(vocabSize, hiddenSize,
                    layers, heads, intermediateSize, maxPositions, typeVocabSize));
        }
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " is not a multiple of " + heads + " heads");
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layer_norm_eps must be positive, got " + layerNormEps);
        }
        labels = List.copyOf(labels);
    }

    private static String describe(int vocab, int hidden, int layers, int heads, int ffn, int positions, int types) {
        return "vocab " + vocab + ", hidden " + hidden + ", layers " + layers + ", heads " + heads + ", intermediate "
                + ffn + ", positions " + positions + ", token types " + types;
    }

    public int headDim() {
        return hiddenSize / heads;
    }

    /** Reads a Hugging Face {@code config.json}; throws {@link ModelFormatException} naming the file and field. */
    public static BertConfig fromJson(Path configJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(configJson.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(configJson, null, "cannot read JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(configJson, null, "expected a JSON object");
        }
        String type = root.path("model_type").asText("bert");
        if (!type.equals("bert")) {
            throw new ModelFormatException(configJson, null, "model_type '" + type + "' is not supported (BERT encoders only)");
        }
        String positions = root.path("position_embedding_type").asText("absolute");
        if (!positions.equals("absolute")) {
            throw new ModelFormatException(configJson, null, "position_embedding_type '" + positions + "' is not supported");
        }
        String act = root.path("hidden_act").asText("gelu");
        Activation activation = switch (act) {
            case "gelu" -> Activation.GELU;
            case "gelu_new", "gelu_pytorch_tanh" -> Activation.GELU_TANH;
            default -> throw new ModelFormatException(configJson, null, "hidden_act '" + act + "' is not supported");
        };
        List<String> labels = new ArrayList<>();
        JsonNode id2label = root.path("id2label");
        if (id2label.isObject() && !root.path("architectures").toString().toLowerCase(Locale.ROOT).contains("formaskedlm")) {
            for (int i = 0; i < id2label.size(); i++) {
                JsonNode label = id2label.get(Integer.toString(i));
                if (label == null) {
                    throw new ModelFormatException(configJson, null, "id2label has no entry for id " + i);
                }
                labels.add(label.asText());
            }
        }
        try {
            return new BertConfig(intField(root, configJson, "vocab_size"), intField(root, configJson, "hidden_size"),
                    intField(root, configJson, "num_hidden_layers"), intField(root, configJson, "num_attention_heads"),
                    intField(root, configJson, "intermediate_size"), intField(root, configJson, "max_position_embeddings"),
                    root.path("type_vocab_size").asInt(2), (float) root.path("layer_norm_eps").asDouble(1e-12),
                    activation, labels, "multi_label_classification".equals(root.path("problem_type").asText()));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(configJson, null, e.getMessage(), e);
        }
    }

    private static int intField(JsonNode root, Path file, String name) {
        JsonNode n = root.get(name);
        if (n == null || !n.canConvertToInt()) {
            throw new ModelFormatException(file, null, "field '" + name + "' is missing or not an integer");
        }
        return n.intValue();
    }

    /**
     * The configuration implied by a weight file's tensor shapes, for files that carry no
     * {@code config.json}; the head count and LayerNorm epsilon cannot be seen in shapes and are given.
     */
    public static BertConfig infer(TensorStore weights, int heads, float layerNormEps, Activation activation) {
        StoredTensor words = BertParameters.require(weights, BertParameters.WORD_EMBEDDINGS);
        StoredTensor positions = BertParameters.require(weights, BertParameters.POSITION_EMBEDDINGS);
        StoredTensor types = BertParameters.require(weights, BertParameters.TOKEN_TYPE_EMBEDDINGS);
        StoredTensor ffnBias = BertParameters.require(weights, BertParameters.layer(0, BertParameters.INTERMEDIATE_BIAS));
        int layers = 0;
        while (BertParameters.find(weights, BertParameters.layer(layers, BertParameters.QUERY_BIAS)) != null) {
            layers++;
        }
        List<String> labels = new ArrayList<>();
        StoredTensor classifierBias = BertParameters.find(weights, BertParameters.CLASSIFIER_BIAS);
        if (classifierBias != null) {
            for (long i = 0; i < classifierBias.tensor().elementCount(); i++) {
                labels.add("LABEL_" + i);
            }
        }
        try {
            return new BertConfig((int) words.tensor().dim(0), (int) words.tensor().dim(1), layers, heads,
                    (int) ffnBias.tensor().elementCount(), (int) positions.tensor().dim(0), (int) types.tensor().dim(0),
                    layerNormEps, activation, labels, false);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(weights.file(), null, e.getMessage(), e);
        }
    }
}
