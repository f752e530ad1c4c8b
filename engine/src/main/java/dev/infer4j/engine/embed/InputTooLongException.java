package dev.infer4j.engine.embed;

/** An input exceeds the model's maximum length and truncation is off. */
public final class InputTooLongException extends IllegalArgumentException {
    private final int index;
    private final int tokens;
    private final int maxTokens;

    public InputTooLongException(int index, int tokens, int maxTokens) {
        super("input " + index + " has " + tokens + " tokens; the model takes at most " + maxTokens
                + " (enable truncation to cut it)");
        this.index = index;
        this.tokens = tokens;
        this.maxTokens = maxTokens;
    }

    public int index() {
        return index;
    }

    public int tokens() {
        return tokens;
    }

    public int maxTokens() {
        return maxTokens;
    }
}
