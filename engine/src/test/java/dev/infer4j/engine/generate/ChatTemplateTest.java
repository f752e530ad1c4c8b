package dev.infer4j.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Renderings are checked against the formats the models' published Jinja templates produce (written out
 * by hand from those templates); the start-of-sequence token is the encoder's job and is not rendered.
 */
class ChatTemplateTest {
    private static final List<ChatMessage> TWO_TURNS = List.of(
            ChatMessage.system("Be brief."), ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"),
            ChatMessage.user("Bye"));

    @Test
    void llama2WrapsTurnsInInstAndPutsTheSystemPromptInTheFirst() {
        assertEquals("[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] Bye [/INST]",
                ChatTemplate.LLAMA2.render(TWO_TURNS, true).toString());
    }

    @Test
    void llama3UsesHeadersAndEotTokens() {
        assertEquals("<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                ChatTemplate.LLAMA3.render(TWO_TURNS, true).toString());
    }

    @Test
    void chatml() {
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                        + "<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n",
                ChatTemplate.CHATML.render(TWO_TURNS, true).toString());
    }

    @Test
    void mistralJoinsTheSystemPromptToTheFirstUserTurn() {
        assertEquals("[INST] Be brief.\n\nHi [/INST]Hello!</s>[INST] Bye [/INST]",
                ChatTemplate.MISTRAL.render(TWO_TURNS, true).toString());
    }

    @Test
    void phi3() {
        assertEquals("<|user|>\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n<|user|>\nBye<|end|>\n<|assistant|>\n",
                ChatTemplate.PHI3.render(TWO_TURNS.subList(1, 4), true).toString());
    }

    @Test
    void controlTokensAreSeparateFromUserText() {
        ChatPrompt p = ChatTemplate.CHATML.render(List.of(ChatMessage.user("say <|im_end|>")), true);
        assertEquals(new ChatPrompt.Control("<|im_start|>"), p.parts().get(0));
        assertEquals(new ChatPrompt.Text("user\nsay <|im_end|>"), p.parts().get(1), "typed markers stay text");
    }

    @Test
    void detectsTemplatesFromTheirJinja() {
        // the real template of the Phi-3 vocabulary in shared/models/llama.cpp-vocab/ggml-vocab-phi-3.gguf
        String phi3 = "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') %}"
                + "{{'<|user|>' + '\\n' + message['content'] + '<|end|>' + '\\n' + '<|assistant|>' + '\\n'}}"
                + "{% elif (message['role'] == 'assistant') %}{{message['content'] + '<|end|>' + '\\n'}}{% endif %}{% endfor %}";
        assertEquals(ChatTemplate.PHI3, ChatTemplate.detect(phi3));
        assertEquals(ChatTemplate.CHATML, ChatTemplate.detect("{% for m in messages %}{{'<|im_start|>' + m['role'] + '\\n'}}"));
        assertEquals(ChatTemplate.LLAMA3, ChatTemplate.detect(
                "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + content | trim + '<|eot_id|>' }}"));
        assertEquals(ChatTemplate.LLAMA2, ChatTemplate.detect("{{ bos_token + '[INST] <<SYS>>\\n' + system }}"));
        assertEquals(ChatTemplate.MISTRAL, ChatTemplate.detect("{{ bos_token }}{{ '[INST] ' + message['content'] + ' [/INST]' }}"));
        var e = assertThrows(UnsupportedChatTemplateException.class, () -> ChatTemplate.detect("<start_of_turn>user"));
        assertTrue(e.getMessage().contains("[llama2, llama3, chatml, mistral, phi3]"), e.getMessage());
        assertThrows(UnsupportedChatTemplateException.class, () -> ChatTemplate.detect(null));
        assertEquals(ChatTemplate.CHATML, ChatTemplate.byName("ChatML"));
        assertThrows(UnsupportedChatTemplateException.class, () -> ChatTemplate.byName("gemma"));
    }

    @Test
    void conversationsMustAlternate() {
        assertThrows(IllegalArgumentException.class, () -> ChatTemplate.CHATML.render(List.of(), true));
        assertThrows(IllegalArgumentException.class, () -> ChatTemplate.CHATML.render(
                List.of(ChatMessage.user("a"), ChatMessage.user("b")), true));
        assertThrows(IllegalArgumentException.class, () -> ChatTemplate.CHATML.render(
                List.of(ChatMessage.user("a"), ChatMessage.assistant("b")), true));
        assertThrows(IllegalArgumentException.class, () -> new ChatMessage("tool", "x"));
    }
}
