package dev.infer4j.tokenizer.normalize;

import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.UnicodeClasses;

/** Removes leading and/or trailing whitespace. */
public record StripNormalizer(boolean left, boolean right) implements Normalizer {

    @Override
    public void normalize(NormalizedText text) {
        int start = 0;
        int end = text.length();
        if (left) {
            while (start < end) {
                int cp = text.codePointAt(start);
                if (!UnicodeClasses.isWhitespace(cp)) {
                    break;
                }
                start += Character.charCount(cp);
            }
        }
        if (right) {
            while (end > start) {
                int cp = Character.codePointBefore(text.chars(), end);
                if (!UnicodeClasses.isWhitespace(cp)) {
                    break;
                }
                end -= Character.charCount(cp);
            }
        }
        if (start == 0 && end == text.length()) {
            return;
        }
        NormalizedText.Rewriter w = text.rewrite();
        w.removeUntil(start);
        w.keepUntil(end);
        w.removeUntil(text.length());
        w.finish();
    }
}
