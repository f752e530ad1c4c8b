package dev.infer4j.tokenizer.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.infer4j.tokenizer.Encoding;
import dev.infer4j.tokenizer.Padding;
import dev.infer4j.tokenizer.Tokenizer;
import dev.infer4j.tokenizer.Tokenizers;
import dev.infer4j.tokenizer.Truncation;
import dev.infer4j.tokenizer.testing.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Left truncation and left / multiple-of padding, which the DJL parity tests cannot set, worked out by hand on MiniLM
 * (one id per word: one=2028 two=2048 three=2093 four=2176 five=2274 six=2416, [CLS]=101 [SEP]=102).
 */
class TruncationPaddingTest {

    private static final Tokenizer MINILM = Tokenizers.fromJson(Resources.open(Resources.MINILM)).withoutTruncation()
            .withoutPadding();

    @Test
    void leftTruncationKeepsTheEndAndOverflowsTowardsTheStart() {
        Tokenizer t = MINILM.withTruncation(new Truncation(5, Truncation.Strategy.LONGEST_FIRST,
                Truncation.Direction.LEFT, 1));
        Encoding e = t.encode("one two three four five six", true);
        assertArrayEquals(new int[] {101, 2176, 2274, 2416, 102}, e.ids());
        // pieces of 3 overlapping by 1, walking left: [four five six], [two three four], [one two]
        assertEquals(2, e.overflowing().size());
        assertArrayEquals(new int[] {101, 2048, 2093, 2176, 102}, e.overflowing().get(0).ids());
        assertArrayEquals(new int[] {101, 2028, 2048, 102}, e.overflowing().get(1).ids());
    }

    @Test
    void leftPaddingAndPadToMultiple() {
        Tokenizer t = MINILM.withPadding(new Padding(0, Padding.Direction.LEFT, 4, 0, 0, "[PAD]"));
        List<Encoding> batch = t.encodeBatch(List.of("one", "one two three"), true);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 101, 2028, 102}, batch.get(0).ids());
        assertArrayEquals(new int[] {0, 0, 0, 101, 2028, 2048, 2093, 102}, batch.get(1).ids());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 1, 1}, batch.get(1).attentionMask());
        assertArrayEquals(new int[] {1, 1, 1, 1, 0, 0, 0, 1}, batch.get(1).specialTokensMask());
        Encoding fixed = MINILM.withPadding(Padding.fixed(6, 0, "[PAD]")).encode("one two", true);
        assertArrayEquals(new int[] {101, 2028, 2048, 102, 0, 0}, fixed.ids());
        assertEquals(4, fixed.realLength());
    }

    @Test
    void pairTypeIdsAndLongestFirst() {
        Tokenizer t = MINILM.withTruncation(Truncation.of(7));
        Encoding e = t.encodePair("one two three four", "five six", true);
        // 7 - 3 special = 4 tokens: the longer first sequence gives way
        assertArrayEquals(new int[] {101, 2028, 2048, 102, 2274, 2416, 102}, e.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1}, e.typeIds());
    }
}
