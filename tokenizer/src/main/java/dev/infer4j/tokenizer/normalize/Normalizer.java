package dev.infer4j.tokenizer.normalize;

import dev.infer4j.tokenizer.text.NormalizedText;

/**
 * A normalization step of the tokenizer pipeline (Hugging Face's {@code normalizer}): rewrites the text in place,
 * keeping every char aligned to the input it came from. Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface Normalizer {

    void normalize(NormalizedText text);
}
