package dev.infer4j.tokenizer.pretokenize;

import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.Pattern;
import dev.infer4j.tokenizer.text.Patterns;
import dev.infer4j.tokenizer.text.PreTokenizedText;
import dev.infer4j.tokenizer.text.Utf8;

/**
 * GPT-2's byte-level pre-tokenizer: optionally prefixes a space, optionally splits with GPT-2's regular expression,
 * then rewrites every split as the chars standing for its UTF-8 bytes ({@link ByteLevelAlphabet}), each aligned to the
 * code point it came from.
 */
public final class ByteLevelPreTokenizer implements PreTokenizer {

    private final boolean addPrefixSpace;
    private final boolean useRegex;
    private final Pattern regex;

    public ByteLevelPreTokenizer(boolean addPrefixSpace, boolean useRegex) {
        this.addPrefixSpace = addPrefixSpace;
        this.useRegex = useRegex;
        this.regex = useRegex ? Patterns.regex(Patterns.GPT2) : null;
    }

    @Override
    public void preTokenize(PreTokenizedText text) {
        if (addPrefixSpace) {
            text.rewrite((w, index, start, end) -> {
                if (w.peek() != ' ') {
                    // Hugging Face's prepend: the space replaces the first code point's place and the code point
                    // follows, both aligned to it
                    int first = w.peek();
                    w.replace(' ');
                    w.insert(first);
                }
                w.keepUntil(end);
            });
        }
        if (useRegex) {
            SplitBehavior.Pieces pieces = new SplitBehavior.Pieces();
            text.split((NormalizedText t, int start, int end, PreTokenizedText.SplitSink out) -> {
                pieces.clear();
                regex.findMatches(t.chars(), start, end, pieces::match);
                pieces.emit(start, end, SplitBehavior.ISOLATED, false, out);
            });
        }
        byte[] utf8 = new byte[4];
        text.rewrite((w, index, start, end) -> toBytes(w, end, utf8));
    }

    private static void toBytes(NormalizedText.Rewriter w, int end, byte[] utf8) {
        while (w.position() < end) {
            int cp = w.peek();
            if (cp < 0x80) {
                w.replace(ByteLevelAlphabet.charOf(cp));
                continue;
            }
            int n = Utf8.encode(cp, utf8, 0);
            w.replace(ByteLevelAlphabet.charOf(utf8[0]));
            for (int k = 1; k < n; k++) {
                w.insert(ByteLevelAlphabet.charOf(utf8[k]));
            }
        }
    }
}
