package dev.infer4j.engine.classify;

/** How a classifier's logits become scores. */
public enum ScoreActivation {
    /** Exclusive labels: probabilities that sum to 1. */
    SOFTMAX,
    /** Independent labels (multi-label) or a single relevance logit: each in (0, 1). */
    SIGMOID,
    /** The raw logits. */
    NONE;

    /** Applies the activation to one row of logits, in place. */
    public void apply(float[] logits) {
        switch (this) {
            case SOFTMAX -> {
                float max = Float.NEGATIVE_INFINITY;
                for (float v : logits) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int i = 0; i < logits.length; i++) {
                    logits[i] = (float) Math.exp(logits[i] - max);
                    sum += logits[i];
                }
                for (int i = 0; i < logits.length; i++) {
                    logits[i] = (float) (logits[i] / sum);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < logits.length; i++) {
                    logits[i] = (float) (1.0 / (1.0 + Math.exp(-logits[i])));
                }
            }
            case NONE -> { }
        }
    }
}
