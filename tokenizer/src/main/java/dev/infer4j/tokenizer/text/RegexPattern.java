package dev.infer4j.tokenizer.text;

import java.nio.CharBuffer;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression as Hugging Face runs it with Oniguruma, on {@link java.util.regex}: Unicode character classes
 * ({@code \s}, {@code \d}, {@code \w} and case folding are Unicode-aware, as in Oniguruma's UTF-8 mode). Empty matches
 * are reported like non-empty ones.
 */
public final class RegexPattern implements Pattern {

    private final String source;
    private final java.util.regex.Pattern compiled;

    /** @throws PatternSyntaxException when Java cannot compile the expression */
    public RegexPattern(String regex) {
        this.source = regex;
        this.compiled = java.util.regex.Pattern.compile(translate(regex),
                java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
    }

    public String source() {
        return source;
    }

    @Override
    public void findMatches(char[] chars, int from, int to, MatchSink sink) {
        Matcher m = compiled.matcher(CharBuffer.wrap(chars, from, to - from));
        while (m.find()) {
            sink.match(from + m.start(), from + m.end());
        }
    }

    /** Rewrites Oniguruma-only syntax into Java's. */
    static String translate(String regex) {
        // Oniguruma's \h is a hexadecimal digit; Java's is horizontal whitespace
        StringBuilder sb = new StringBuilder(regex.length());
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(i + 1);
                if (next == 'h') {
                    sb.append("[0-9a-fA-F]");
                } else if (next == 'H') {
                    sb.append("[^0-9a-fA-F]");
                } else {
                    sb.append(c).append(next);
                }
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
