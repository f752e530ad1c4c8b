package dev.infer4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.tokenizer.testing.HfReference;
import dev.infer4j.tokenizer.testing.Mismatches;
import dev.infer4j.tokenizer.testing.MultilingualCorpus;
import dev.infer4j.tokenizer.testing.Resources;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * all-MiniLM-L6-v2 and bge-small-en-v1.5 (WordPiece, BertNormalizer, BertPreTokenizer, TemplateProcessing) against
 * Hugging Face tokenizers on a generated multilingual corpus: ids, type ids, masks and offsets with and without special
 * tokens, truncated (with overflow) and not, pairs, batch padding, and decoding.
 */
class WordPieceParityTest {

    private static final int LINES = 6000;
    private static final List<String> CORPUS = MultilingualCorpus.lines(20250101L, LINES);

    private static Tokenizer ours(byte[] json) {
        return Tokenizers.fromJson(new ByteArrayInputStream(json)).withoutTruncation().withoutPadding();
    }

    @ParameterizedTest
    @ValueSource(strings = {Resources.MINILM, Resources.BGE})
    void singleSequencesMatchWithAndWithoutSpecialTokens(String resource) {
        byte[] json = Resources.bytes(resource);
        Tokenizer tokenizer = ours(json);
        Mismatches m = new Mismatches(resource + " single sequences");
        try (HfReference hf = new HfReference(json, Map.of("truncation", "false", "padding", "false"))) {
            for (String line : CORPUS) {
                for (boolean special : new boolean[] {true, false}) {
                    var expected = hf.encode(line, special, false);
                    Encoding actual = tokenizer.encode(line, special);
                    String aspect = special ? "[special] " : "[plain] ";
                    m.check(line, aspect + "ids", HfReference.ints(expected.getIds()), actual.ids());
                    m.check(line, aspect + "type ids", HfReference.ints(expected.getTypeIds()), actual.typeIds());
                    m.check(line, aspect + "attention", HfReference.ints(expected.getAttentionMask()),
                            actual.attentionMask());
                    m.check(line, aspect + "special mask", HfReference.ints(expected.getSpecialTokenMask()),
                            actual.specialTokensMask());
                    int[][] offsets = HfReference.utf16Offsets(expected, line);
                    m.check(line, aspect + "starts", offsets[0], actual.startOffsets());
                    m.check(line, aspect + "ends", offsets[1], actual.endOffsets());
                }
            }
        }
        m.assertNone();
    }

    @ParameterizedTest
    @ValueSource(strings = {Resources.MINILM, Resources.BGE})
    void decodingMatches(String resource) {
        byte[] json = Resources.bytes(resource);
        Tokenizer tokenizer = ours(json);
        Mismatches m = new Mismatches(resource + " decode(encode(x))");
        try (HfReference hf = new HfReference(json, Map.of("truncation", "false", "padding", "false"))) {
            for (String line : CORPUS) {
                int[] ids = HfReference.ints(hf.encode(line, true, false).getIds());
                m.check(line, "decode skipping specials", hf.decode(ids, true), tokenizer.decode(ids, true));
                m.check(line, "decode with specials", hf.decode(ids, false), tokenizer.decode(ids, false));
            }
        }
        m.assertNone();
    }

    @ParameterizedTest
    @ValueSource(strings = {Resources.MINILM, Resources.BGE})
    void truncationWithStrideMatches(String resource) {
        byte[] json = Resources.bytes(resource);
        Tokenizer tokenizer = ours(json).withTruncation(new Truncation(24, Truncation.Strategy.LONGEST_FIRST,
                Truncation.Direction.RIGHT, 5));
        Mismatches m = new Mismatches(resource + " truncated to 24, stride 5");
        try (HfReference hf = new HfReference(json, Map.of("truncation", "longest_first", "maxLength", "24",
                "stride", "5", "padding", "false"))) {
            for (String line : CORPUS) {
                var expected = hf.encode(line, true, true);
                Encoding actual = tokenizer.encode(line, true);
                m.check(line, "ids", HfReference.ints(expected.getIds()), actual.ids());
                List<int[]> expectedOverflow = new ArrayList<>();
                for (var o : expected.getOverflowing()) {
                    expectedOverflow.add(HfReference.ints(o.getIds()));
                }
                List<int[]> actualOverflow = new ArrayList<>();
                for (Encoding o : actual.overflowing()) {
                    actualOverflow.add(o.ids());
                }
                m.check(line, "overflowing ids", expectedOverflow.toArray(), actualOverflow.toArray());
            }
        }
        m.assertNone();
    }

    @ParameterizedTest
    @ValueSource(strings = {"longest_first", "only_first", "only_second"})
    void pairsMatch(String strategy) {
        byte[] json = Resources.bytes(Resources.MINILM);
        Truncation.Strategy s = switch (strategy) {
            case "only_first" -> Truncation.Strategy.ONLY_FIRST;
            case "only_second" -> Truncation.Strategy.ONLY_SECOND;
            default -> Truncation.Strategy.LONGEST_FIRST;
        };
        Tokenizer tokenizer = ours(json).withTruncation(new Truncation(40, s, Truncation.Direction.RIGHT, 0));
        Mismatches m = new Mismatches("MiniLM pairs, " + strategy + " to 40");
        int errors = 0;
        try (HfReference hf = new HfReference(json, Map.of("truncation", strategy, "maxLength", "40",
                "padding", "false"))) {
            for (int i = 0; i + 1 < 2000; i += 2) {
                String a = CORPUS.get(i);
                String b = CORPUS.get(i + 1);
                ai.djl.huggingface.tokenizers.Encoding expected;
                try {
                    expected = hf.encodePair(a, b, true, false);
                } catch (RuntimeException e) {
                    // the reference refuses (sequence too short to truncate): we must refuse too
                    assertThrows(IllegalArgumentException.class, () -> tokenizer.encodePair(a, b, true), a + " | " + b);
                    errors++;
                    continue;
                }
                Encoding actual = tokenizer.encodePair(a, b, true);
                String input = a + " | " + b;
                m.check(input, "ids", HfReference.ints(expected.getIds()), actual.ids());
                m.check(input, "type ids", HfReference.ints(expected.getTypeIds()), actual.typeIds());
                m.check(input, "special mask", HfReference.ints(expected.getSpecialTokenMask()),
                        actual.specialTokensMask());
            }
        }
        System.out.println(strategy + ": " + errors + " pairs refused by both");
        m.assertNone();
    }

    @ParameterizedTest
    @ValueSource(strings = {Resources.MINILM, Resources.BGE})
    void batchPaddingMatches(String resource) {
        byte[] json = Resources.bytes(resource);
        Tokenizer tokenizer = ours(json).withTruncation(Truncation.of(64)).withPadding(Padding.batchLongest(0,
                "[PAD]"));
        Mismatches m = new Mismatches(resource + " batches padded to the longest");
        try (HfReference hf = new HfReference(json, Map.of("truncation", "true", "maxLength", "64",
                "padding", "true"))) {
            for (int from = 0; from + 16 <= 1600; from += 16) {
                List<String> batch = CORPUS.subList(from, from + 16);
                List<Encoding> actual = tokenizer.encodeBatch(batch, true);
                var expected = hf.encodeBatch(batch, true);
                for (int i = 0; i < batch.size(); i++) {
                    m.check(batch.get(i), "ids", HfReference.ints(expected[i].getIds()), actual.get(i).ids());
                    m.check(batch.get(i), "attention", HfReference.ints(expected[i].getAttentionMask()),
                            actual.get(i).attentionMask());
                }
            }
        }
        m.assertNone();
    }

    @Test
    void tokenizerJsonSettingsAreRead() {
        Tokenizer minilm = Tokenizers.fromJson(new ByteArrayInputStream(Resources.bytes(Resources.MINILM)));
        assertEquals(Truncation.of(128), minilm.truncation());
        assertNotNull(minilm.padding());
        assertEquals(128, minilm.padding().fixedLength());
        Encoding e = minilm.encode("hello world", true);
        assertEquals(128, e.length());
        assertEquals(4, e.realLength());
        assertEquals(30522, minilm.vocabSize());
        assertEquals(101, minilm.specialTokens().cls().orElseThrow());
        assertEquals(102, minilm.specialTokens().sep().orElseThrow());
        assertEquals(0, minilm.specialTokens().pad().orElseThrow());
        assertEquals(100, minilm.specialTokens().unk().orElseThrow());
        assertEquals(103, minilm.specialTokens().mask().orElseThrow());
        assertTrue(minilm.specialTokens().bos().isEmpty());
        assertEquals(7592, minilm.tokenToId("hello"));
        assertEquals("hello", minilm.idToToken(7592));
        assertEquals(-1, minilm.tokenToId("no-such-token"));
        assertTrue(minilm.isSpecial(101));
        // the encoders' setting: truncate at 256, no padding
        Tokenizer encoders = minilm.withTruncation(Truncation.of(256)).withoutPadding();
        String longText = "word ".repeat(1000);
        assertEquals(256, encoders.encode(longText, true).length());
        assertEquals(1, Arrays.stream(encoders.encode(longText, true).ids()).filter(id -> id == 102).count());
    }
}
