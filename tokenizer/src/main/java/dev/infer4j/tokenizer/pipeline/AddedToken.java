package dev.infer4j.tokenizer.pipeline;

/**
 * A token added on top of the model's vocabulary (Hugging Face's {@code added_tokens}), found in the text before the
 * model runs.
 *
 * @param singleWord only match when not inside a word
 * @param lstrip     also swallow whitespace on the left
 * @param rstrip     also swallow whitespace on the right
 * @param normalized match against the normalized text rather than the input
 * @param special    skipped by {@code decode(ids, true)}
 */
public record AddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip,
                         boolean normalized, boolean special) {

    /** A special token as GGUF control tokens are: exact match on the input, not normalized. */
    public static AddedToken special(int id, String content) {
        return new AddedToken(id, content, false, false, false, false, true);
    }
}
