package dev.infer4j.tokenizer.pretokenize;

import dev.infer4j.tokenizer.text.PreTokenizedText;
import java.util.List;

/** Applies pre-tokenizers in order, each to the splits the previous one made. */
public record SequencePreTokenizer(List<PreTokenizer> preTokenizers) implements PreTokenizer {

    public SequencePreTokenizer {
        preTokenizers = List.copyOf(preTokenizers);
    }

    @Override
    public void preTokenize(PreTokenizedText text) {
        for (PreTokenizer p : preTokenizers) {
            p.preTokenize(text);
        }
    }
}
