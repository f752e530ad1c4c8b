package dev.infer4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.infer4j.tokenizer.testing.GgufMetadataFixture;
import dev.infer4j.tokenizer.testing.Resources;
import org.junit.jupiter.api.Test;

/**
 * Special tokens written in the text of a GGUF vocabulary's input (chat templates). Expected ids are those of the
 * Phi-3-mini tokenizer as Hugging Face and llama.cpp give them: its chat tokens swallow the whitespace after them
 * ({@code rstrip}), the BOS-style tokens do not.
 */
class GgufSpecialTokensTest {

    @Test
    void phi3ChatTokensSwallowTheNewlineAfterThem() {
        Tokenizer phi3 = Tokenizers.fromGguf(GgufMetadataFixture.read(Resources.shared(
                "models/llama.cpp-vocab/ggml-vocab-phi-3.gguf")));
        assertArrayEquals(new int[] {1, 32010, 6324, 32007, 32001},
                phi3.encode("<|user|>\nHi<|end|>\n<|assistant|>\n", true).ids());
    }

    @Test
    void otherSentencePieceVocabulariesKeepTheWhitespace() {
        Tokenizer llama = Tokenizers.fromGguf(GgufMetadataFixture.read(Resources.shared(
                "models/llama.cpp-vocab/ggml-vocab-llama-spm.gguf")));
        // "</s>" then "\nHi": the newline stays text, after the prefix space SentencePiece adds to each segment
        int[] ids = llama.encode("</s>\nHi", false).ids();
        assertArrayEquals(new int[] {llama.tokenToId("</s>"), llama.tokenToId("\u2581"), llama.tokenToId("<0x0A>")},
                java.util.Arrays.copyOf(ids, 3));
    }
}
