package dev.infer4j.engine.schedule;

/**
 * Receives a request's output as the scheduler produces it, on the scheduler thread: keep it quick (hand the
 * text to a network buffer) and never block. An exception thrown here cancels the request.
 */
@FunctionalInterface
public interface GenerationSink {
    /**
     * One generated token and the text it completes ({@code text} may be empty: held back for UTF-8 or a possible
     * stop string). At the end, text still held back comes with {@code token} -1.
     */
    void onToken(int token, String text);

    /**
     * As {@link #onToken(int, String)}, with the token's log-probabilities when the request asked for them
     * ({@code logprobs} is null otherwise, and for the held-back text at the end).
     */
    default void onToken(int token, String text, TokenLogprobs logprobs) {
        onToken(token, text);
    }

    /** A sink that ignores the tokens (the caller only wants the final result). */
    GenerationSink NONE = (token, text) -> { };
}
