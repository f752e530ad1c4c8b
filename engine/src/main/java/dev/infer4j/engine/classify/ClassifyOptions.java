package dev.infer4j.engine.classify;

/**
 * @param activation how logits become scores (null: softmax, or sigmoid for multi-label models)
 * @param truncate   cut inputs longer than the model's maximum; when false such an input is an error
 */
public record ClassifyOptions(ScoreActivation activation, boolean truncate) {
    public static final ClassifyOptions DEFAULT = new ClassifyOptions(null, true);
}
