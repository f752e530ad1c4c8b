package dev.infer4j.tokenizer.pretokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.infer4j.tokenizer.text.LiteralPattern;
import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.Patterns;
import dev.infer4j.tokenizer.text.PreTokenizedText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Delimiter behaviors and the character-class pre-tokenizers on small inputs. */
class SplitBehaviorTest {

    static List<String> splits(PreTokenizer p, String input) {
        NormalizedText text = NormalizedText.of(input, 0, input.length());
        PreTokenizedText splits = new PreTokenizedText(text);
        p.preTokenize(splits);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < splits.splitCount(); i++) {
            out.add(new String(text.chars(), splits.splitStart(i), splits.splitEnd(i) - splits.splitStart(i)));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "REMOVED;the|final|countdown",
        "ISOLATED;the|-|final|-|-|countdown",
        "MERGED_WITH_PREVIOUS;the-|final-|-|countdown",
        "MERGED_WITH_NEXT;the|-final|-|-countdown",
        "CONTIGUOUS;the|-|final|--|countdown",
    })
    void delimiterBehaviors(SplitBehavior behavior, String expected) {
        assertEquals(List.of(expected.split("\\|")),
                splits(new SplitPreTokenizer(new LiteralPattern("-"), behavior, false), "the-final--countdown"));
    }

    @Test
    void invertedSplitKeepsTheMatches() {
        assertEquals(List.of("Hello", "world"), splits(new SplitPreTokenizer(Patterns.regex("\\p{L}+"),
                SplitBehavior.REMOVED, true), "Hello, world!"));
    }

    @Test
    void characterClassPreTokenizers() {
        assertEquals(List.of("a", "1", "2", "3", "b"), splits(CharClassPreTokenizer.digits(true), "a123b"));
        assertEquals(List.of("a", "123", "b"), splits(CharClassPreTokenizer.digits(false), "a123b"));
        assertEquals(List.of("Hey", "!?", "you"), splits(CharClassPreTokenizer.punctuation(SplitBehavior.CONTIGUOUS),
                "Hey!?you"));
        assertEquals(List.of("Hey", "you", "!"), splits(new WhitespacePreTokenizer(), "Hey you!"));
        assertEquals(List.of("Hey", "you!"), splits(CharClassPreTokenizer.whitespaceSplit(), "Hey\u3000 you!"));
        assertEquals(List.of("Hey", "friend", "!", "How", "?", "!"), splits(new BertPreTokenizer(),
                "Hey friend!  How?!"));
        assertEquals(List.of("\u2581Hey", "\u2581friend"), splits(new MetaspacePreTokenizer('\u2581',
                MetaspacePreTokenizer.PrependScheme.ALWAYS, true), "Hey friend"));
        assertEquals(List.of("Hello", "\u0120world", ",", "\u0120\u00C3\u00A9t\u00C3\u00A9"),
                splits(new ByteLevelPreTokenizer(false, true), "Hello world, été"));
    }
}
