package dev.infer4j.kernels;

/**
 * Shape and masking of one scaled dot-product attention call over a batch of sequences.
 *
 * <p>Layouts (F32): queries and output {@code [batch * queryLength, heads * headDim]};
 * keys and values {@code [batch, keyCapacity, kvHeads * headDim]} (for decoders, the KV cache).
 * Sequence {@code b} has {@code keyLengths[b]} valid keys; later keys are padding and are masked.
 * With {@code causal}, the queries of sequence {@code b} are its last {@code queryLength} positions,
 * so query {@code j} sees keys {@code 0 .. keyLengths[b] - queryLength + j}. Query rows of padded
 * positions (when {@code keyLengths[b] < queryLength} in an encoder batch) produce unspecified values.
 *
 * @param heads       query heads; a multiple of {@code kvHeads} (grouped-query attention)
 * @param kvHeads     key/value heads
 * @param headDim     dimension of one head
 * @param scale       multiplier of {@code q·k}, usually {@code 1/sqrt(headDim)}
 * @param causal      whether a query may not see later keys
 * @param batch       number of sequences
 * @param queryLength queries per sequence
 * @param keyCapacity key rows per sequence in the key/value tensors
 * @param keyLengths  valid keys per sequence ({@code batch} entries, each in {@code [0, keyCapacity]}); read during the call only
 */
public record AttentionSpec(int heads, int kvHeads, int headDim, float scale, boolean causal,
                            int batch, int queryLength, int keyCapacity, int[] keyLengths) {
    public AttentionSpec {
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must be a positive multiple of kvHeads (" + kvHeads + ")");
        }
        if (headDim <= 0 || batch <= 0 || queryLength <= 0 || keyCapacity <= 0) {
            throw new IllegalArgumentException("attention dimensions must be positive");
        }
        if (keyLengths == null || keyLengths.length < batch) {
            throw new IllegalArgumentException("keyLengths needs one entry per sequence (" + batch + ")");
        }
        for (int b = 0; b < batch; b++) {
            if (keyLengths[b] < 0 || keyLengths[b] > keyCapacity || (causal && keyLengths[b] < queryLength)) {
                throw new IllegalArgumentException("sequence " + b + " has " + keyLengths[b] + " keys; capacity is "
                        + keyCapacity + (causal ? " and causal attention needs at least the " + queryLength + " queries" : ""));
            }
        }
    }
}
