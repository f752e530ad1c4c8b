package dev.infer4j.tokenizer.text;

/** Chooses the implementation of a regular expression: a hand-written matcher for well-known ones, else a regex. */
public final class Patterns {

    private Patterns() {
    }

    /** A pattern matching exactly as {@code regex} does in Hugging Face. */
    public static Pattern regex(String regex) {
        return new RegexPattern(regex);
    }
}
