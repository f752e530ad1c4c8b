package dev.infer4j.engine.schedule;

/**
 * Log-probabilities of one generated token under the model (log-softmax of the raw logits, before temperature,
 * penalties and bias), and the most likely tokens at that position.
 *
 * @param token        the token generated
 * @param logprob      its log-probability
 * @param topTokens    the most likely tokens, best first (ties: lower id first); as many as the request asked for
 * @param topLogprobs  their log-probabilities
 */
public record TokenLogprobs(int token, float logprob, int[] topTokens, float[] topLogprobs) {

    /**
     * Computes the log-probabilities of row {@code logits} for {@code token} and the {@code top} best tokens.
     * Allocates only the two small result arrays.
     */
    public static TokenLogprobs of(float[] logits, int vocabSize, int token, int top) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocabSize; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < vocabSize; i++) {
            sum += Math.exp(logits[i] - max);
        }
        float logZ = (float) (max + Math.log(sum));
        int k = Math.min(top, vocabSize);
        int[] ids = new int[k];
        float[] values = new float[k];
        int filled = 0;
        for (int i = 0; i < vocabSize; i++) {
            float v = logits[i];
            if (filled == k && (k == 0 || v <= values[k - 1])) {
                continue; // not better than the worst kept (equal: the lower id, kept already, wins)
            }
            int at = filled < k ? filled++ : k - 1;
            while (at > 0 && values[at - 1] < v) {
                values[at] = values[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }
            values[at] = v;
            ids[at] = i;
        }
        for (int i = 0; i < k; i++) {
            values[i] -= logZ;
        }
        return new TokenLogprobs(token, logits[token] - logZ, ids, values);
    }
}
