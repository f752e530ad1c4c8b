package dev.infer4j.tokenizer.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.infer4j.tokenizer.testing.MultilingualCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hand-written GPT-2 / Llama 3 / Qwen2 matchers find exactly the matches of the regular expressions. */
class GptSplitPatternTest {

    private static final String TRICKY = " \t\r\n\u00A0\u3000'sStTrReEvVmMlLdDxX\u017F\u212Aab7\u0663\u00BD.,!?-_\u0301"
            + "\uD83D\uDE00\u4E2D\u0410";

    @ParameterizedTest
    @EnumSource(GptSplitPattern.Flavor.class)
    void matchesTheRegularExpression(GptSplitPattern.Flavor flavor) {
        String regex = switch (flavor) {
            case GPT2 -> Patterns.GPT2;
            case LLAMA3 -> Patterns.LLAMA3;
            case QWEN2 -> Patterns.QWEN2;
        };
        Pattern fast = new GptSplitPattern(flavor);
        Pattern reference = new RegexPattern(regex);
        List<String> inputs = new ArrayList<>(MultilingualCorpus.lines(5L, 3000));
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 20000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(12);
            for (int k = 0; k < n; k++) {
                int at = r.nextInt(TRICKY.length());
                char c = TRICKY.charAt(at);
                if (Character.isHighSurrogate(c)) {
                    sb.append(c).append(TRICKY.charAt(at + 1));
                } else if (!Character.isLowSurrogate(c)) {
                    sb.append(c);
                }
            }
            inputs.add(sb.toString());
        }
        for (String s : inputs) {
            assertEquals(matches(reference, s), matches(fast, s), () -> "input " + s.codePoints()
                    .mapToObj(cp -> String.format("U+%04X", cp)).toList());
        }
    }

    private static List<String> matches(Pattern p, String s) {
        List<String> out = new ArrayList<>();
        char[] chars = s.toCharArray();
        p.findMatches(chars, 0, chars.length, (a, b) -> out.add(a + "-" + b));
        return out;
    }
}
