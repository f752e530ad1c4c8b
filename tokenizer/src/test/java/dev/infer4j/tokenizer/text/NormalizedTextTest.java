package dev.infer4j.tokenizer.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Rewrites keep Hugging Face's alignment rules. */
class NormalizedTextTest {

    private static String alignments(NormalizedText t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            sb.append(t.charAt(i)).append(t.originalStart(i)).append(t.originalEnd(i)).append(' ');
        }
        return sb.toString().trim();
    }

    @Test
    void replacedCharsKeepTheirAlignmentInsertedOnesTakeThePreviousOne() {
        NormalizedText t = NormalizedText.of("xabc", 1, 4); // "abc" at offsets 1..4 of the input
        NormalizedText.Rewriter w = t.rewrite();
        w.replace('A');
        w.insert('+');
        w.remove();
        w.insert('*'); // after a removal: aligned to the removed 'b'
        w.keep();
        w.finish();
        assertEquals("A+*c", t.toString());
        assertEquals("A12 +12 *23 c34", alignments(t));
    }

    @Test
    void insertingBeforeAnythingIsConsumedGivesAnEmptyRangeAtTheStart() {
        NormalizedText t = NormalizedText.of("xyab", 2, 4);
        NormalizedText.Rewriter w = t.rewrite();
        w.insert('^');
        w.keepUntil(2);
        w.finish();
        assertEquals("^22 a23 b34", alignments(t));
    }

    @Test
    void surrogatePairsMoveTogetherAndLoneSurrogatesReadAsReplacementChars() {
        NormalizedText t = NormalizedText.of("a\uD83D\uDE00\uD800b", 0, 5);
        assertEquals("a\uD83D\uDE00\uFFFDb", t.toString());
        assertEquals(0x1F600, t.codePointAt(1));
        NormalizedText.Rewriter w = t.rewrite();
        w.keep();
        w.replace(0x1F601); // one code point for one code point, both halves aligned to the emoji
        w.remove();
        w.keep();
        w.finish();
        assertEquals("a\uD83D\uDE01b", t.toString());
        assertEquals(1, t.originalStart(2));
        assertEquals(3, t.originalEnd(2));
        assertEquals(4, t.originalStart(3));
    }
}
