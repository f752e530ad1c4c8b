package dev.infer4j.tokenizer.pretokenize;

import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.PreTokenizedText;
import dev.infer4j.tokenizer.text.UnicodeClasses;
import java.util.function.IntPredicate;

/**
 * Pre-tokenizers that split on a class of characters, each character being a delimiter: Hugging Face's
 * {@code Punctuation}, {@code Digits}, {@code WhitespaceSplit} and {@code CharDelimiterSplit}.
 */
public final class CharClassPreTokenizer implements PreTokenizer {

    private final IntPredicate delimiter;
    private final SplitBehavior behavior;

    public CharClassPreTokenizer(IntPredicate delimiter, SplitBehavior behavior) {
        this.delimiter = delimiter;
        this.behavior = behavior;
    }

    /** ASCII punctuation and symbols, and Unicode 8.0 punctuation. */
    public static CharClassPreTokenizer punctuation(SplitBehavior behavior) {
        return new CharClassPreTokenizer(UnicodeClasses::isBertPunctuation, behavior);
    }

    /** Numeric characters (Rust's {@code char::is_numeric}: Nd, Nl, No), one per split or in runs. */
    public static CharClassPreTokenizer digits(boolean individual) {
        return new CharClassPreTokenizer(CharClassPreTokenizer::isNumeric,
                individual ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS);
    }

    /** Splits on whitespace, dropping it. */
    public static CharClassPreTokenizer whitespaceSplit() {
        return new CharClassPreTokenizer(UnicodeClasses::isWhitespace, SplitBehavior.REMOVED);
    }

    /** Splits on one character, dropping it. */
    public static CharClassPreTokenizer charDelimiter(int delimiter) {
        return new CharClassPreTokenizer(cp -> cp == delimiter, SplitBehavior.REMOVED);
    }

    static boolean isNumeric(int cp) {
        if (cp < 128) {
            return cp >= '0' && cp <= '9';
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    @Override
    public void preTokenize(PreTokenizedText text) {
        SplitBehavior.Pieces pieces = new SplitBehavior.Pieces();
        text.split((NormalizedText t, int start, int end, PreTokenizedText.SplitSink out) -> {
            pieces.clear();
            char[] chars = t.chars();
            for (int i = start; i < end; ) {
                int cp = Character.codePointAt(chars, i, end);
                int n = Character.charCount(cp);
                if (delimiter.test(cp)) {
                    pieces.match(i, i + n);
                }
                i += n;
            }
            pieces.emit(start, end, behavior, false, out);
        });
    }
}
