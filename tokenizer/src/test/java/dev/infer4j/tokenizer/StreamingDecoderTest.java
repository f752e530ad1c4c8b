package dev.infer4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.infer4j.tokenizer.testing.GgufMetadataFixture;
import dev.infer4j.tokenizer.testing.MultilingualCorpus;
import dev.infer4j.tokenizer.testing.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streaming decoding gives the same text as decoding all ids at once, never emits half a UTF-8 sequence (no U+FFFD
 * that the full decode does not have), and drops SentencePiece's leading space only at the start.
 */
class StreamingDecoderTest {

    private static final List<String> LINES = MultilingualCorpus.lines(31L, 1500);

    private static Tokenizer tokenizer(String name) {
        if (name.equals("minilm")) {
            return Tokenizers.fromJson(Resources.open(Resources.MINILM)).withoutTruncation().withoutPadding();
        }
        return Tokenizers.fromGguf(GgufMetadataFixture.read(Resources.shared(
                "models/llama.cpp-vocab/ggml-vocab-" + name + ".gguf")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-2", "llama-spm", "phi-3", "minilm"})
    void pushedPiecesAddUpToTheFullDecode(String name) {
        Tokenizer tokenizer = tokenizer(name);
        for (String line : LINES) {
            int[] ids = tokenizer.encode(line, true).ids();
            for (boolean skip : new boolean[] {true, false}) {
                String full = tokenizer.decode(ids, skip);
                StreamingDecoder stream = tokenizer.streamingDecoder(skip);
                StringBuilder streamed = new StringBuilder();
                for (int id : ids) {
                    String piece = stream.push(id);
                    if (!full.contains("\uFFFD")) {
                        assertFalse(piece.contains("\uFFFD"), () -> "emitted an incomplete character for " + line);
                    }
                    streamed.append(piece);
                }
                streamed.append(stream.flush());
                assertEquals(full, streamed.toString(), () -> name + " streaming differs for " + line);
            }
        }
    }

    @Test
    void sentencePieceLeadingSpaceOnlyAtTheStart() {
        Tokenizer llama = tokenizer("llama-spm");
        int[] ids = llama.encode("Hello world", false).ids();
        StreamingDecoder stream = llama.streamingDecoder(true);
        assertEquals("Hello", stream.push(ids[0]));
        assertEquals(" world", stream.push(ids[1]));
        assertEquals("", stream.flush());
    }

    @Test
    void byteTokensAreHeldBackUntilTheCharacterIsComplete() {
        Tokenizer llama = tokenizer("llama-spm");
        // "▁" then the four byte-fallback tokens of 🦙, which is no piece
        int[] ids = llama.encode("🦙", false).ids();
        assertEquals(5, ids.length);
        StreamingDecoder stream = llama.streamingDecoder(true);
        for (int i = 0; i < 4; i++) {
            assertEquals("", stream.push(ids[i]), "nothing is complete before the last byte");
        }
        assertEquals("🦙", stream.push(ids[4]));
        // an unfinished sequence comes out as U+FFFD on flush
        StreamingDecoder broken = llama.streamingDecoder(true);
        broken.push(ids[0]);
        broken.push(ids[1]);
        assertEquals("\uFFFD", broken.flush());
    }
}
