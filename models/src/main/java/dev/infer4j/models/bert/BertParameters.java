package dev.infer4j.models.bert;

import dev.infer4j.models.weights.StoredTensor;
import dev.infer4j.models.weights.TensorStore;

/**
 * Parameter names of a Hugging Face BERT checkpoint. Task models ({@code BertForSequenceClassification})
 * prefix the encoder's names with {@code bert.}; {@link #find} accepts both spellings.
 */
public final class BertParameters {
    public static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";
    public static final String POSITION_EMBEDDINGS = "embeddings.position_embeddings.weight";
    public static final String TOKEN_TYPE_EMBEDDINGS = "embeddings.token_type_embeddings.weight";
    public static final String EMBEDDINGS_NORM_WEIGHT = "embeddings.LayerNorm.weight";
    public static final String EMBEDDINGS_NORM_BIAS = "embeddings.LayerNorm.bias";

    public static final String QUERY_WEIGHT = "attention.self.query.weight";
    public static final String QUERY_BIAS = "attention.self.query.bias";
    public static final String KEY_WEIGHT = "attention.self.key.weight";
    public static final String KEY_BIAS = "attention.self.key.bias";
    public static final String VALUE_WEIGHT = "attention.self.value.weight";
    public static final String VALUE_BIAS = "attention.self.value.bias";
    public static final String ATTENTION_OUT_WEIGHT = "attention.output.dense.weight";
    public static final String ATTENTION_OUT_BIAS = "attention.output.dense.bias";
    public static final String ATTENTION_NORM_WEIGHT = "attention.output.LayerNorm.weight";
    public static final String ATTENTION_NORM_BIAS = "attention.output.LayerNorm.bias";
    public static final String INTERMEDIATE_WEIGHT = "intermediate.dense.weight";
    public static final String INTERMEDIATE_BIAS = "intermediate.dense.bias";
    public static final String OUTPUT_WEIGHT = "output.dense.weight";
    public static final String OUTPUT_BIAS = "output.dense.bias";
    public static final String OUTPUT_NORM_WEIGHT = "output.LayerNorm.weight";
    public static final String OUTPUT_NORM_BIAS = "output.LayerNorm.bias";

    public static final String POOLER_WEIGHT = "pooler.dense.weight";
    public static final String POOLER_BIAS = "pooler.dense.bias";
    /** The sequence-classification head sits outside the {@code bert.} prefix. */
    public static final String CLASSIFIER_WEIGHT = "classifier.weight";
    public static final String CLASSIFIER_BIAS = "classifier.bias";

    private static final String TASK_PREFIX = "bert.";

    private BertParameters() {
    }

    /** {@code encoder.layer.<index>.<suffix>}. */
    public static String layer(int index, String suffix) {
        return "encoder.layer." + index + "." + suffix;
    }

    /** The tensor under {@code name} or {@code bert.name}, or null. */
    public static StoredTensor find(TensorStore store, String name) {
        StoredTensor t = store.find(name);
        return t != null ? t : store.find(TASK_PREFIX + name);
    }

    /** Like {@link #find} but throws {@link dev.infer4j.models.weights.ModelFormatException} naming the file and tensor. */
    public static StoredTensor require(TensorStore store, String name) {
        StoredTensor t = find(store, name);
        return t != null ? t : store.require(name);
    }
}
