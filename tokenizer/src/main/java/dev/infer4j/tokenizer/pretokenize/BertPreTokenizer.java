package dev.infer4j.tokenizer.pretokenize;

import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.PreTokenizedText;
import dev.infer4j.tokenizer.text.UnicodeClasses;

/**
 * BERT's pre-tokenizer: splits on whitespace (removed) and isolates every punctuation character. One pass doing both
 * gives the same splits as Hugging Face's two passes.
 */
public final class BertPreTokenizer implements PreTokenizer {

    private static final PreTokenizedText.Splitter SPLITTER = BertPreTokenizer::split;

    @Override
    public void preTokenize(PreTokenizedText text) {
        text.split(SPLITTER);
    }

    private static void split(NormalizedText text, int start, int end, PreTokenizedText.SplitSink out) {
        char[] chars = text.chars();
        int wordStart = start;
        int i = start;
        while (i < end) {
            char c = chars[i];
            int cp;
            int n;
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                cp = Character.toCodePoint(c, chars[i + 1]);
                n = 2;
            } else {
                cp = c;
                n = 1;
            }
            if (UnicodeClasses.isWhitespace(cp)) {
                out.add(wordStart, i);
                wordStart = i + n;
            } else if (UnicodeClasses.isBertPunctuation(cp)) {
                out.add(wordStart, i);
                out.add(i, i + n);
                wordStart = i + n;
            }
            i += n;
        }
        out.add(wordStart, end);
    }
}
