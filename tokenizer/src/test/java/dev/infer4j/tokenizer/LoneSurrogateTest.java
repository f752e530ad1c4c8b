package dev.infer4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.infer4j.tokenizer.testing.GgufMetadataFixture;
import dev.infer4j.tokenizer.testing.HfReference;
import dev.infer4j.tokenizer.testing.Mismatches;
import dev.infer4j.tokenizer.testing.MultilingualCorpus;
import dev.infer4j.tokenizer.testing.Resources;
import dev.infer4j.tokenizer.testing.SyntheticTokenizerJson;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Invalid UTF-16 input. Hugging Face works on Rust strings, which cannot hold a lone surrogate; we read each lone
 * surrogate as U+FFFD (what a lossy UTF-16 to UTF-8 conversion gives), one char for one char, so offsets still index
 * the input. (DJL's JNI string conversion garbles a string with a lone surrogate as a whole: each surrogate becomes
 * three U+FFFD and every supplementary character six, so for the reference we pass the already-replaced text.)
 */
class LoneSurrogateTest {

    private static final List<String> LINES = MultilingualCorpus.withLoneSurrogates(99L, 1500);

    private static String replaced(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }

    @Test
    void wordPieceTreatsLoneSurrogatesAsReplacementCharacters() {
        byte[] json = Resources.bytes(Resources.MINILM);
        check("MiniLM with lone surrogates", json, Tokenizers.fromJson(new ByteArrayInputStream(json))
                .withoutTruncation().withoutPadding());
    }

    @Test
    void byteLevelBpeEncodesLoneSurrogatesAsTheBytesOfU_FFFD() {
        Map<String, Object> gpt2 = GgufMetadataFixture.read(Resources.shared(
                "models/llama.cpp-vocab/ggml-vocab-gpt-2.gguf"));
        byte[] json = SyntheticTokenizerJson.byteLevelBpe(gpt2, null, "{\"type\": \"ByteLevel\", \"add_prefix_space\":"
                + " false, \"trim_offsets\": true, \"use_regex\": true}", "{\"type\": \"ByteLevel\", \"add_prefix_space\": false,"
                + " \"trim_offsets\": true}", false);
        Tokenizer ours = Tokenizers.fromGguf(gpt2);
        check("GPT-2 with lone surrogates", json, ours);
        // and the byte-level round trip gives the replaced text back exactly
        for (String line : LINES) {
            assertEquals(replaced(line), ours.decode(ours.encode(line, false).ids(), false));
        }
    }

    private static void check(String what, byte[] json, Tokenizer ours) {
        Mismatches m = new Mismatches(what);
        try (HfReference hf = new HfReference(json, Map.of("truncation", "false", "padding", "false"))) {
            for (String line : LINES) {
                String clean = replaced(line);
                var expected = hf.encode(clean, true, false);
                Encoding actual = ours.encode(line, true);
                m.check(line, "ids", HfReference.ints(expected.getIds()), actual.ids());
                int[][] offsets = HfReference.utf16Offsets(expected, clean);
                m.check(line, "starts", offsets[0], actual.startOffsets());
                m.check(line, "ends", offsets[1], actual.endOffsets());
                // the same as encoding the replaced text ourselves
                assertArrayEquals(ours.encode(clean, true).ids(), actual.ids());
            }
        }
        m.assertNone();
    }
}
