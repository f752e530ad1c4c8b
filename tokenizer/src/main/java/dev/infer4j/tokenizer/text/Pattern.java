package dev.infer4j.tokenizer.text;

/**
 * What Hugging Face's {@code Replace} and {@code Split} look for: a literal string or a regular expression. Matches
 * are reported left to right, without overlap.
 */
public interface Pattern {

    /** Receives matches as {@code [start, end)} ranges. */
    @FunctionalInterface
    interface MatchSink {
        void match(int start, int end);
    }

    /** Reports every match inside {@code chars[from, to)}. */
    void findMatches(char[] chars, int from, int to, MatchSink sink);

    /** Replaces every match in {@code s} by {@code replacement} (taken literally). */
    default String replaceAll(String s, String replacement) {
        char[] chars = s.toCharArray();
        StringBuilder sb = new StringBuilder(s.length());
        int[] last = {0};
        findMatches(chars, 0, chars.length, (start, end) -> {
            sb.append(chars, last[0], start - last[0]).append(replacement);
            last[0] = end;
        });
        sb.append(chars, last[0], chars.length - last[0]);
        return sb.toString();
    }
}
