package dev.infer4j.engine.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * A conversation kept in one session's KV cache: each turn renders the whole conversation with the chat
 * template, and only the tokens after the part already cached (the previous turns and answers) are
 * processed. Generation ends at the template's end-of-turn token as well as at end of sequence.
 */
public final class ChatSession implements AutoCloseable {
    private final Generator generator;
    private final Session session;
    private final ChatTemplate template;
    private final int[] endTokens;
    private final List<ChatMessage> messages = new ArrayList<>();

    ChatSession(Generator generator, Session session, ChatTemplate template) {
        this.generator = generator;
        this.session = session;
        this.template = template;
        int[] base = generator.endTokens();
        int turnEnd = generator.tokenizer().tokenToId(template.endOfTurnToken());
        this.endTokens = turnEnd < 0 ? base : append(base, turnEnd);
    }

    private static int[] append(int[] a, int v) {
        int[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = v;
        return r;
    }

    public ChatTemplate template() {
        return template;
    }

    /** Sets the system prompt; only before the first turn. */
    public ChatSession system(String prompt) {
        if (!messages.isEmpty()) {
            throw new IllegalStateException("the system prompt must come before the first turn");
        }
        messages.add(ChatMessage.system(prompt));
        return this;
    }

    /** The conversation so far. */
    public List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    /** Tokens of the conversation held in the cache. */
    public int cachedTokens() {
        return session.cachedTokens();
    }

    /** Adds a user turn, generates the assistant's answer (streamed to {@code listener}) and records it. */
    public GenerationResult send(String userMessage, GenerationOptions options, GenerationListener listener) {
        messages.add(ChatMessage.user(userMessage));
        GenerationResult r;
        try {
            int[] prompt = generator.encode(template.render(messages, true));
            r = session.generate(prompt, options, listener, endTokens);
        } catch (RuntimeException e) {
            messages.removeLast();
            throw e;
        }
        messages.add(ChatMessage.assistant(r.text()));
        return r;
    }

    @Override
    public void close() {
        session.close();
    }
}
