package dev.infer4j.tokenizer.pretokenize;

import dev.infer4j.tokenizer.text.PreTokenizedText;

/**
 * A pre-tokenization step (Hugging Face's {@code pre_tokenizer}): cuts the splits of a text into smaller ones and may
 * rewrite their content (e.g. byte-level mapping). Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface PreTokenizer {

    void preTokenize(PreTokenizedText text);
}
