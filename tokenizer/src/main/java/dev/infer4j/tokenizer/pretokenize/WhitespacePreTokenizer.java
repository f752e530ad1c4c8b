package dev.infer4j.tokenizer.pretokenize;

import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.PreTokenizedText;
import dev.infer4j.tokenizer.text.UnicodeClasses;

/**
 * Hugging Face's {@code Whitespace}: keeps runs of word characters and runs of other non-space characters
 * ({@code \w+|[^\w\s]+}), dropping whitespace.
 */
public final class WhitespacePreTokenizer implements PreTokenizer {

    @Override
    public void preTokenize(PreTokenizedText text) {
        text.split(WhitespacePreTokenizer::split);
    }

    private static void split(NormalizedText t, int start, int end, PreTokenizedText.SplitSink out) {
        char[] chars = t.chars();
        int runStart = -1;
        int runKind = 0; // 1 word, 2 other
        for (int i = start; i < end; ) {
            int cp = Character.codePointAt(chars, i, end);
            int n = Character.charCount(cp);
            int kind = UnicodeClasses.isWhitespace(cp) ? 0 : isWordChar(cp) ? 1 : 2;
            if (kind != runKind) {
                if (runKind != 0) {
                    out.add(runStart, i);
                }
                runStart = i;
                runKind = kind;
            }
            i += n;
        }
        if (runKind != 0) {
            out.add(runStart, end);
        }
    }

    /** Rust regex's Unicode {@code \w}. */
    static boolean isWordChar(int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
        }
        int type = Character.getType(cp);
        return Character.isAlphabetic(cp) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.DECIMAL_DIGIT_NUMBER || type == Character.CONNECTOR_PUNCTUATION
                || cp == 0x200C || cp == 0x200D;
    }
}
