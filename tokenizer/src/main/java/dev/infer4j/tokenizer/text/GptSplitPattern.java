package dev.infer4j.tokenizer.text;

/**
 * Hand-written matchers for the split expressions of GPT-2 and of Llama 3 / GPT-4 (cl100k) / Qwen2, equivalent to
 * running the expressions with Oniguruma but in one forward scan per match: no backtracking, no allocation.
 *
 * <pre>
 * GPT-2:   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * Llama 3: (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+
 *          |\s+(?!\S)|\s+          (Qwen2: \p{N} instead of \p{N}{1,3})
 * </pre>
 * The differential tests check them against {@link RegexPattern} on the multilingual corpus.
 */
public final class GptSplitPattern implements Pattern {

    /** Which expression. */
    public enum Flavor { GPT2, LLAMA3, QWEN2 }

    private final Flavor flavor;

    public GptSplitPattern(Flavor flavor) {
        this.flavor = flavor;
    }

    @Override
    public void findMatches(char[] chars, int from, int to, MatchSink sink) {
        int i = from;
        while (i < to) {
            int end = flavor == Flavor.GPT2 ? matchGpt2(chars, i, to) : matchLlama3(chars, i, to);
            sink.match(i, end);
            i = end;
        }
    }

    private static int matchGpt2(char[] s, int i, int to) {
        char c = s[i];
        if (c == '\'') {
            int e = contraction(s, i, to, false);
            if (e > 0) {
                return e;
            }
        }
        int j = c == ' ' && i + 1 < to ? i + 1 : i;
        int cp = Character.codePointAt(s, j, to);
        if (isLetter(cp)) {
            return run(s, j, to, GptSplitPattern::isLetter);
        }
        if (isNumber(cp)) {
            return run(s, j, to, GptSplitPattern::isNumber);
        }
        if (!isSpace(cp)) {
            return run(s, j, to, GptSplitPattern::isOther);
        }
        return whitespace(s, i, to);
    }

    private int matchLlama3(char[] s, int i, int to) {
        char c = s[i];
        if (c == '\'') {
            int e = contraction(s, i, to, true);
            if (e > 0) {
                return e;
            }
        }
        int cp = Character.codePointAt(s, i, to);
        int n = Character.charCount(cp);
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (isLetter(cp)) {
            return run(s, i, to, GptSplitPattern::isLetter);
        }
        if (cp != '\r' && cp != '\n' && !isNumber(cp) && i + n < to && isLetter(Character.codePointAt(s, i + n, to))) {
            return run(s, i + n, to, GptSplitPattern::isLetter);
        }
        // \p{N}{1,3} or \p{N}
        if (isNumber(cp)) {
            int limit = flavor == Flavor.QWEN2 ? 1 : 3;
            int j = i;
            for (int k = 0; k < limit && j < to; k++) {
                int d = Character.codePointAt(s, j, to);
                if (!isNumber(d)) {
                    break;
                }
                j += Character.charCount(d);
            }
            return j;
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int j = c == ' ' && i + 1 < to ? i + 1 : i;
        int first = Character.codePointAt(s, j, to);
        if (isOther(first)) {
            int e = run(s, j, to, GptSplitPattern::isOther);
            while (e < to && (s[e] == '\r' || s[e] == '\n')) {
                e++;
            }
            return e;
        }
        // \s*[\r\n]+ : the whitespace run up to its last line break
        int runEnd = run(s, i, to, GptSplitPattern::isSpace);
        for (int k = runEnd - 1; k >= i; k--) {
            if (s[k] == '\r' || s[k] == '\n') {
                return k + 1;
            }
        }
        return whitespace(s, i, to);
    }

    /** {@code \s+(?!\S)|\s+} at {@code i}, which is whitespace. */
    private static int whitespace(char[] s, int i, int to) {
        int end = run(s, i, to, GptSplitPattern::isSpace);
        if (end == to) {
            return end;
        }
        // followed by a non-space: leave the last whitespace char to it, unless that leaves nothing
        int last = end - Character.charCount(Character.codePointBefore(s, end, i));
        return last > i ? last : end;
    }

    /** End of {@code 's|'t|'re|'ve|'m|'ll|'d} at {@code i} (optionally case-insensitive), or -1. */
    private static int contraction(char[] s, int i, int to, boolean ignoreCase) {
        if (i + 1 >= to) {
            return -1;
        }
        char a = fold(s[i + 1], ignoreCase);
        switch (a) {
            case 's', 't', 'm', 'd':
                return i + 2;
            case 'r', 'v':
                return i + 2 < to && fold(s[i + 2], ignoreCase) == 'e' ? i + 3 : -1;
            case 'l':
                return i + 2 < to && fold(s[i + 2], ignoreCase) == 'l' ? i + 3 : -1;
            default:
                return -1;
        }
    }

    private static char fold(char c, boolean ignoreCase) {
        if (!ignoreCase) {
            return c;
        }
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + 32);
        }
        if (c == '\u017F') {
            return 's'; // long s folds to s
        }
        if (c == '\u212A') {
            return 'k';
        }
        return c;
    }

    private interface CodePointClass {
        boolean test(int cp);
    }

    private static int run(char[] s, int i, int to, CodePointClass cls) {
        int j = i;
        while (j < to) {
            char c = s[j];
            if (c < 0x80) {
                if (!cls.test(c)) {
                    break;
                }
                j++;
                continue;
            }
            int cp = Character.codePointAt(s, j, to);
            if (!cls.test(cp)) {
                break;
            }
            j += Character.charCount(cp);
        }
        return j;
    }

    static boolean isLetter(int cp) {
        if (cp < 0x80) {
            return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
        }
        return Character.isLetter(cp);
    }

    static boolean isNumber(int cp) {
        if (cp < 0x80) {
            return cp >= '0' && cp <= '9';
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    static boolean isSpace(int cp) {
        return UnicodeClasses.isWhitespace(cp);
    }

    /** {@code [^\s\p{L}\p{N}]}. */
    static boolean isOther(int cp) {
        return !isSpace(cp) && !isLetter(cp) && !isNumber(cp);
    }
}
