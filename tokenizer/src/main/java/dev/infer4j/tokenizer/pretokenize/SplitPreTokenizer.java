package dev.infer4j.tokenizer.pretokenize;

import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.Pattern;
import dev.infer4j.tokenizer.text.PreTokenizedText;

/**
 * Hugging Face's {@code Split}: splits on the matches of a pattern, keeping or merging them as {@code behavior} says.
 */
public record SplitPreTokenizer(Pattern pattern, SplitBehavior behavior, boolean invert) implements PreTokenizer {

    @Override
    public void preTokenize(PreTokenizedText text) {
        SplitBehavior.Pieces pieces = new SplitBehavior.Pieces();
        text.split((NormalizedText t, int start, int end, PreTokenizedText.SplitSink out) -> {
            pieces.clear();
            pattern.findMatches(t.chars(), start, end, pieces::match);
            pieces.emit(start, end, behavior, invert, out);
        });
    }
}
