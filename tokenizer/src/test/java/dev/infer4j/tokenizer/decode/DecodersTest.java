package dev.infer4j.tokenizer.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.infer4j.tokenizer.text.LiteralPattern;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each decoder on small token lists. */
class DecodersTest {

    @Test
    void wordPieceJoinsContinuationsAndCleansUp() {
        // cleanup runs on each token (with its leading space), as in Hugging Face: " ," and " !" glue to the previous
        // word, patterns spanning tokens (" ' ", " do not") never match
        assertEquals("hello, world! i ' m fine do not",
                new WordPieceDecoder("##", true).decode(List.of("hello", ",", "world", "!", "i", "'", "m", "fi", "##ne",
                        "do", "not")));
        assertEquals("hello , world", new WordPieceDecoder("##", false).decode(List.of("hello", ",", "world")));
    }

    @Test
    void byteFallbackDecodesValidRunsAndReplacesInvalidBytesOneByOne() {
        ByteFallbackDecoder d = new ByteFallbackDecoder();
        assertEquals(List.of("a", "é", "b"), d.decodeChain(List.of("a", "<0xC3>", "<0xA9>", "b")));
        assertEquals(List.of("\uFFFD", "\uFFFD", "x"), d.decodeChain(List.of("<0xC3>", "<0x41>", "x")).subList(0, 3));
    }

    @Test
    void byteLevelMapsBackToUtf8() {
        assertEquals("Hello été", new ByteLevelDecoder().decode(List.of("Hello", "\u0120\u00C3\u00A9t\u00C3\u00A9")));
        assertEquals("\uFFFD", new ByteLevelDecoder().decode(List.of("\u00C3")));
    }

    @Test
    void metaspaceStripAndReplace() {
        assertEquals("Hello world", new MetaspaceDecoder('\u2581', true).decode(List.of("\u2581Hello", "\u2581world")));
        assertEquals(" Hello world", new MetaspaceDecoder('\u2581', false).decode(List.of("\u2581Hello",
                "\u2581world")));
        assertEquals(List.of("ab", "  c"), new StripDecoder(' ', 1, 1).decodeChain(List.of(" ab ", "   c")));
        assertEquals(List.of("a b"), new ReplaceDecoder(new LiteralPattern("\u2581"), " ").decodeChain(
                List.of("a\u2581b")));
        assertEquals("Hello world", new SequenceDecoder(List.of(new ReplaceDecoder(new LiteralPattern("\u2581"), " "),
                new FuseDecoder(), new StripDecoder(' ', 1, 0))).decode(List.of("\u2581Hello", "\u2581world")));
    }
}
