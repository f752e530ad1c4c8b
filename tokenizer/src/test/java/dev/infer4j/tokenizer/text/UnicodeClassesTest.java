package dev.infer4j.tokenizer.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.util.VersionInfo;
import dev.infer4j.tokenizer.Tokenizer;
import dev.infer4j.tokenizer.Tokenizers;
import dev.infer4j.tokenizer.testing.HfReference;
import dev.infer4j.tokenizer.testing.Mismatches;
import dev.infer4j.tokenizer.testing.Resources;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Unicode-version tables are what ICU's character ages say, and BERT's character classes agree with Hugging Face
 * code point by code point.
 */
class UnicodeClassesTest {

    private static final VersionInfo V8 = VersionInfo.getInstance(8, 0, 0, 0);
    private static final VersionInfo V9 = VersionInfo.getInstance(9, 0, 0, 0);

    @Test
    void addedAfterUnicode8IsTheCategoriesHuggingFaceLooksAtNewerThan8() {
        List<Integer> ranges = new ArrayList<>();
        rangesOf(ranges, cp -> {
            int t = Character.getType(cp);
            boolean relevant = t == Character.CONTROL || t == Character.FORMAT || t == Character.PRIVATE_USE
                    || t == Character.SURROGATE || t == Character.CONNECTOR_PUNCTUATION
                    || t == Character.DASH_PUNCTUATION || t == Character.START_PUNCTUATION
                    || t == Character.END_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
                    || t == Character.FINAL_QUOTE_PUNCTUATION || t == Character.OTHER_PUNCTUATION
                    || t == Character.NON_SPACING_MARK;
            return relevant && UCharacter.getAge(cp).compareTo(V8) > 0;
        });
        assertArrayEquals(ranges.stream().mapToInt(Integer::intValue).toArray(), UnicodeClasses.ADDED_AFTER_UNICODE_8);
    }

    @Test
    void normalizationTableIsMarksAndDecomposablesNewerThan9() {
        List<Integer> ranges = new ArrayList<>();
        rangesOf(ranges, cp -> {
            int t = Character.getType(cp);
            boolean mark = t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK
                    || t == Character.ENCLOSING_MARK;
            boolean decomposes = !Normalizer.isNormalized(new String(Character.toChars(cp)), Normalizer.Form.NFKD);
            return (mark || decomposes) && UCharacter.getAge(cp).compareTo(V9) > 0;
        });
        assertArrayEquals(ranges.stream().mapToInt(Integer::intValue).toArray(),
                UnicodeClasses.NORMALIZATION_ADDED_AFTER_UNICODE_9);
    }

    private interface CodePointTest {
        boolean test(int cp);
    }

    private static void rangesOf(List<Integer> out, CodePointTest test) {
        int start = -1;
        int previous = -2;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue;
            }
            if (test.test(cp)) {
                if (cp != previous + 1) {
                    if (start >= 0) {
                        out.add(start);
                        out.add(previous);
                    }
                    start = cp;
                }
                previous = cp;
            }
        }
        if (start >= 0) {
            out.add(start);
            out.add(previous);
        }
    }

    /**
     * Every code point of the BMP and of the other planes in use, between two letters, through MiniLM's normalizer,
     * pre-tokenizer and WordPiece: same tokens and offsets as Hugging Face. This pins cleaning, whitespace, CJK
     * spacing, accent stripping, lowercasing and punctuation splitting for each character.
     */
    @Test
    void everyCodePointIsClassifiedAsHuggingFaceDoes() {
        byte[] json = Resources.bytes(Resources.MINILM);
        Tokenizer ours = Tokenizers.fromJson(new java.io.ByteArrayInputStream(json)).withoutTruncation()
                .withoutPadding();
        Mismatches m = new Mismatches("code points in context");
        List<String> batch = new ArrayList<>();
        try (HfReference hf = new HfReference(json, Map.of("truncation", "false", "padding", "false"))) {
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
                boolean inUse = cp < 0x40000 || (cp >= 0xE0000 && cp < 0xE1000);
                boolean sampled = !inUse && (cp & 0xFFF) == 0x123; // a few from each other plane
                if ((cp >= 0xD800 && cp <= 0xDFFF) || !(inUse || sampled)) {
                    continue;
                }
                batch.add("x" + new String(Character.toChars(cp)) + "b");
                if (batch.size() == 4096 || cp == Character.MAX_CODE_POINT) {
                    var expected = hf.encodeBatch(batch, false);
                    for (int i = 0; i < batch.size(); i++) {
                        String s = batch.get(i);
                        var actual = ours.encode(s, false);
                        m.check(s, "ids", HfReference.ints(expected[i].getIds()), actual.ids());
                        int[][] offsets = HfReference.utf16Offsets(expected[i], s);
                        m.check(s, "ends", offsets[1], actual.endOffsets());
                    }
                    batch.clear();
                }
            }
        }
        m.assertNone();
    }
}
