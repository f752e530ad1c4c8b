package dev.infer4j.tokenizer.text;

import java.util.Arrays;

/** A literal string pattern (Hugging Face's {@code {"String": ...}}); matches are non-overlapping, leftmost first. */
public record LiteralPattern(String literal) implements Pattern {

    public LiteralPattern {
        if (literal.isEmpty()) {
            throw new IllegalArgumentException("an empty string pattern matches nothing useful");
        }
    }

    @Override
    public void findMatches(char[] chars, int from, int to, MatchSink sink) {
        int n = literal.length();
        char first = literal.charAt(0);
        char[] lit = literal.toCharArray();
        int i = from;
        while (i + n <= to) {
            if (chars[i] == first && Arrays.equals(chars, i, i + n, lit, 0, n)) {
                sink.match(i, i + n);
                i += n;
            } else {
                i++;
            }
        }
    }
}
