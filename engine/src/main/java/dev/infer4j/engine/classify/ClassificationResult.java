package dev.infer4j.engine.classify;

import java.util.List;

/**
 * @param labels      label names, by label id
 * @param scores      {@code scores[i][label]} for input {@code i}
 * @param tokenCounts tokens each input used after truncation (special tokens included)
 * @param truncated   whether each input was cut to the model's maximum length
 */
public record ClassificationResult(List<String> labels, float[][] scores, int[] tokenCounts, boolean[] truncated) {

    /** The id of the highest-scoring label of input {@code i}. */
    public int best(int i) {
        float[] s = scores[i];
        int best = 0;
        for (int l = 1; l < s.length; l++) {
            if (s[l] > s[best]) {
                best = l;
            }
        }
        return best;
    }

    /** The name of the highest-scoring label of input {@code i}. */
    public String bestLabel(int i) {
        return labels.get(best(i));
    }
}
