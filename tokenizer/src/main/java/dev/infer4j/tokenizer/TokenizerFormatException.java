package dev.infer4j.tokenizer;

/** A tokenizer description (tokenizer.json or GGUF metadata) is malformed or uses something not supported. */
public final class TokenizerFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param field the path of the offending entry, e.g. {@code model.vocab} or {@code tokenizer.ggml.merges[12]}
     */
    public TokenizerFormatException(String field, String problem) {
        super(field + ": " + problem);
    }

    public TokenizerFormatException(String field, String problem, Throwable cause) {
        super(field + ": " + problem, cause);
    }
}
