package dev.infer4j.tokenizer.normalize;

import dev.infer4j.tokenizer.text.NormalizedText;
import java.util.List;

/** Applies normalizers in order. */
public record SequenceNormalizer(List<Normalizer> normalizers) implements Normalizer {

    public SequenceNormalizer {
        normalizers = List.copyOf(normalizers);
    }

    @Override
    public void normalize(NormalizedText text) {
        for (Normalizer n : normalizers) {
            n.normalize(text);
        }
    }
}
