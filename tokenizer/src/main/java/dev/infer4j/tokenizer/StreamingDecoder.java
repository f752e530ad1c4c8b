package dev.infer4j.tokenizer;

/**
 * Decodes generated ids one at a time. The concatenation of everything {@link #push} and {@link #flush} return equals
 * {@code tokenizer.decode(allIds, skipSpecialTokens)}. Not thread-safe: one decoder per generation stream.
 */
public interface StreamingDecoder {

    /**
     * Adds one id and returns the text it completes: empty when the id ends inside a UTF-8 sequence (byte-fallback or
     * byte-level tokens) or decodes to nothing; SentencePiece's leading space is dropped only at the very start.
     */
    String push(int id);

    /** Returns what is still held back (an incomplete UTF-8 sequence becomes U+FFFD) and starts over. */
    String flush();
}
