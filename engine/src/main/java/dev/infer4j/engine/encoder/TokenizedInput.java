package dev.infer4j.engine.encoder;

/**
 * One encoder input after tokenization and truncation.
 *
 * @param ids       token ids, special tokens included
 * @param typeIds   token-type (segment) ids, same length
 * @param truncated whether tokens were cut to fit the model's maximum length
 */
public record TokenizedInput(int[] ids, int[] typeIds, boolean truncated) {
    public TokenizedInput {
        if (ids.length != typeIds.length) {
            throw new IllegalArgumentException(ids.length + " ids but " + typeIds.length + " type ids");
        }
    }

    public int length() {
        return ids.length;
    }
}
