package dev.infer4j.engine.generate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The chat formats infer4j renders, recognised from a GGUF {@code tokenizer.chat_template} (a Jinja
 * template) by marker strings — there is no Jinja engine. The renderings follow the models' published
 * templates; the vocabulary's start-of-sequence token is left to the encoder.
 */
public enum ChatTemplate {
    /** Llama 2 chat: {@code [INST] <<SYS>>…<</SYS>> user [/INST] answer </s><s>[INST] …}. */
    LLAMA2("llama2", "</s>"),
    /** Llama 3: {@code <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>}. */
    LLAMA3("llama3", "<|eot_id|>"),
    /** ChatML (Qwen, many fine-tunes): {@code <|im_start|>role\ncontent<|im_end|>\n}. */
    CHATML("chatml", "<|im_end|>"),
    /** Mistral instruct (v1 style): {@code [INST] user [/INST]answer</s>[INST] …}; a system prompt joins the first user turn. */
    MISTRAL("mistral", "</s>"),
    /** Phi-3: {@code <|user|>\ncontent<|end|>\n<|assistant|>\n}. */
    PHI3("phi3", "<|end|>");

    private final String id;
    private final String endOfTurn;

    ChatTemplate(String id, String endOfTurn) {
        this.id = id;
        this.endOfTurn = endOfTurn;
    }

    /** The short name used on the command line. */
    public String id() {
        return id;
    }

    /** The vocabulary string of the token that ends an assistant turn. */
    public String endOfTurnToken() {
        return endOfTurn;
    }

    /** The template of that short name; fails listing the supported names. */
    public static ChatTemplate byName(String name) {
        for (ChatTemplate t : values()) {
            if (t.id.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new UnsupportedChatTemplateException("unknown chat template '" + name + "'; supported: " + supported());
    }

    /** The template a Jinja chat template corresponds to; fails when it is none infer4j recognises. */
    public static ChatTemplate detect(String jinja) {
        if (jinja == null || jinja.isBlank()) {
            throw new UnsupportedChatTemplateException("the model has no tokenizer.chat_template; choose one of "
                    + supported() + " explicitly");
        }
        if (jinja.contains("<|im_start|>")) {
            return CHATML;
        }
        if (jinja.contains("<|start_header_id|>") && jinja.contains("<|eot_id|>")) {
            return LLAMA3;
        }
        if (jinja.contains("<|user|>") && jinja.contains("<|assistant|>") && jinja.contains("<|end|>")) {
            return PHI3;
        }
        if (jinja.contains("[INST]")) {
            return jinja.contains("<<SYS>>") ? LLAMA2 : MISTRAL;
        }
        throw new UnsupportedChatTemplateException("the model's chat template is not one infer4j recognises (supported: "
                + supported() + "); choose one explicitly. Template starts: "
                + jinja.substring(0, Math.min(120, jinja.length())).replace("\n", "\\n"));
    }

    public static String supported() {
        return Arrays.stream(values()).map(ChatTemplate::id).toList().toString();
    }

    /**
     * Renders a conversation: an optional system message first, then user and assistant turns alternating,
     * starting with a user turn. With {@code addAssistantPrefix} the prompt ends where the assistant's answer
     * begins (the last message must then be a user turn).
     */
    public ChatPrompt render(List<ChatMessage> messages, boolean addAssistantPrefix) {
        check(messages, addAssistantPrefix);
        String system = messages.getFirst().role().equals("system") ? messages.getFirst().content() : null;
        List<ChatMessage> turns = system == null ? messages : messages.subList(1, messages.size());
        ChatPrompt p = new ChatPrompt();
        switch (this) {
            case LLAMA2 -> {
                for (int i = 0; i < turns.size(); i++) {
                    ChatMessage m = turns.get(i);
                    if (m.role().equals("user")) {
                        if (i > 0) {
                            p.control("<s>");
                        }
                        String sys = i == 0 && system != null ? "<<SYS>>\n" + system + "\n<</SYS>>\n\n" : "";
                        p.text("[INST] " + sys + m.content().strip() + " [/INST]");
                    } else {
                        p.text(" " + m.content().strip() + " ").control("</s>");
                    }
                }
            }
            case MISTRAL -> {
                for (int i = 0; i < turns.size(); i++) {
                    ChatMessage m = turns.get(i);
                    if (m.role().equals("user")) {
                        String sys = i == 0 && system != null ? system + "\n\n" : "";
                        p.text("[INST] " + sys + m.content() + " [/INST]");
                    } else {
                        p.text(m.content()).control("</s>");
                    }
                }
            }
            case LLAMA3 -> {
                for (ChatMessage m : messages) {
                    p.control("<|start_header_id|>").text(m.role()).control("<|end_header_id|>")
                            .text("\n\n" + m.content().strip()).control("<|eot_id|>");
                }
                if (addAssistantPrefix) {
                    p.control("<|start_header_id|>").text("assistant").control("<|end_header_id|>").text("\n\n");
                }
            }
            case CHATML -> {
                for (ChatMessage m : messages) {
                    p.control("<|im_start|>").text(m.role() + "\n" + m.content()).control("<|im_end|>").text("\n");
                }
                if (addAssistantPrefix) {
                    p.control("<|im_start|>").text("assistant\n");
                }
            }
            case PHI3 -> {
                for (ChatMessage m : messages) {
                    p.control("<|" + m.role() + "|>").text("\n" + m.content()).control("<|end|>").text("\n");
                }
                if (addAssistantPrefix) {
                    p.control("<|assistant|>").text("\n");
                }
            }
        }
        return p;
    }

    private static void check(List<ChatMessage> messages, boolean addAssistantPrefix) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a conversation needs at least one message");
        }
        int first = messages.getFirst().role().equals("system") ? 1 : 0;
        for (int i = first; i < messages.size(); i++) {
            String expected = (i - first) % 2 == 0 ? "user" : "assistant";
            if (!messages.get(i).role().equals(expected)) {
                throw new IllegalArgumentException("message " + i + " is a " + messages.get(i).role() + " turn; expected "
                        + expected + " (an optional system message, then user and assistant turns alternating)");
            }
        }
        if (addAssistantPrefix && !messages.getLast().role().equals("user")) {
            throw new IllegalArgumentException("the last message must be a user turn to prompt the assistant");
        }
    }
}
