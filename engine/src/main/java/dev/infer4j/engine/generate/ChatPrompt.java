package dev.infer4j.engine.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * A conversation rendered by a {@link ChatTemplate}: text interleaved with control tokens named by their
 * vocabulary string. {@link ChatEncoder} turns it into tokens (as llama.cpp does when the tokenizer recognises the
 * control tokens in text, else piece by piece); the vocabulary's start-of-sequence token is added there, not here.
 */
public final class ChatPrompt {
    /** A piece of the rendered prompt. */
    public sealed interface Part permits Text, Control {
    }

    /** Text to tokenize. */
    public record Text(String text) implements Part {
    }

    /** A control token, by its vocabulary string (e.g. {@code <|eot_id|>}). */
    public record Control(String token) implements Part {
    }

    private final List<Part> parts = new ArrayList<>();

    ChatPrompt text(String text) {
        if (!text.isEmpty()) {
            if (!parts.isEmpty() && parts.getLast() instanceof Text(String before)) {
                parts.set(parts.size() - 1, new Text(before + text));
            } else {
                parts.add(new Text(text));
            }
        }
        return this;
    }

    ChatPrompt control(String token) {
        parts.add(new Control(token));
        return this;
    }

    public List<Part> parts() {
        return List.copyOf(parts);
    }

    /** The prompt as one string, control tokens written out (for display and tests). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            sb.append(switch (p) {
                case Text t -> t.text();
                case Control c -> c.token();
            });
        }
        return sb.toString();
    }
}
