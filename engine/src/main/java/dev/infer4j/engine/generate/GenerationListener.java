package dev.infer4j.engine.generate;

/**
 * Receives a generation as it happens. {@link #onText} gets the visible text in order: pieces are whole UTF-8
 * characters (bytes of a character split over tokens are held back until it is complete) and never contain a
 * stop string; concatenated they equal {@link GenerationResult#text()}.
 */
@FunctionalInterface
public interface GenerationListener {
    /** Visible text, as soon as it is final; never empty. */
    void onText(String text);

    /** Each generated token id, in order (end-of-sequence tokens that stop generation are not reported). */
    default void onToken(int tokenId) {
    }

    /** Ignores everything. */
    GenerationListener NONE = text -> { };
}
