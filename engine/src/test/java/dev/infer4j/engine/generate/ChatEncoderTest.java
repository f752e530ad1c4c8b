package dev.infer4j.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.tokenizer.Tokenizer;
import dev.infer4j.tokenizer.Tokenizers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chat prompts tokenized as llama.cpp tokenizes them (expected ids from llama-tokenize, special tokens parsed). */
class ChatEncoderTest {

    @Test
    void phi3StripsTheNewlineAfterItsControlTokens() {
        try (GgufFile vocab = GgufFile.open(SharedModelFiles.file("llama.cpp-vocab/ggml-vocab-phi-3.gguf"))) {
            Tokenizer t = Tokenizers.fromGguf(vocab.metadata());
            ChatPrompt p = ChatTemplate.PHI3.render(List.of(ChatMessage.user("Hi")), true);
            assertArrayEquals(new int[] {1, 32010, 6324, 32007, 32001}, ChatEncoder.encode(t, p));
        }
    }
}
