package dev.infer4j.tokenizer.model;

import dev.infer4j.tokenizer.text.NormalizedText;

/**
 * The model of a tokenizer (Hugging Face's {@code model}): turns one pre-tokenized split into token ids.
 * Implementations are immutable and thread-safe; per-call state lives on the stack or in the caller's buffers.
 */
public interface TokenModel {

    /**
     * Tokenizes {@code text[start, end)}, appending each token with its range in the normalized text to
     * {@code out}.
     */
    void tokenize(NormalizedText text, int start, int end, TokenBuffer out);

    /** The model's vocabulary. */
    Vocabulary vocabulary();
}
