package dev.infer4j.engine.schedule;

/** The prompt plus the requested tokens do not fit in one sequence's context; refused before any work. */
public final class ContextLimitException extends IllegalArgumentException {
    private final int promptTokens;
    private final int maxTokens;
    private final int contextLength;

    public ContextLimitException(int promptTokens, int maxTokens, int contextLength) {
        super(promptTokens >= contextLength
                ? "the prompt has " + promptTokens + " tokens; the context holds " + contextLength
                : "the prompt (" + promptTokens + " tokens) plus max_tokens (" + maxTokens + ") exceed the context of "
                        + contextLength + " tokens");
        this.promptTokens = promptTokens;
        this.maxTokens = maxTokens;
        this.contextLength = contextLength;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int contextLength() {
        return contextLength;
    }
}
