package dev.infer4j.tokenizer.normalize;

import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.Pattern;

/**
 * Replaces every match of a pattern by {@code content}. As in Hugging Face, the replacement is aligned to the last
 * char of the match.
 */
public record ReplaceNormalizer(Pattern pattern, String content) implements Normalizer {

    @Override
    public void normalize(NormalizedText text) {
        int[] matches = new int[16];
        int[] count = {0};
        int[][] holder = {matches};
        pattern.findMatches(text.chars(), 0, text.length(), (start, end) -> {
            if (2 * count[0] + 2 > holder[0].length) {
                holder[0] = java.util.Arrays.copyOf(holder[0], holder[0].length * 2);
            }
            holder[0][2 * count[0]] = start;
            holder[0][2 * count[0] + 1] = end;
            count[0]++;
        });
        if (count[0] == 0) {
            return;
        }
        matches = holder[0];
        NormalizedText.Rewriter w = text.rewrite();
        for (int m = 0; m < count[0]; m++) {
            w.keepUntil(matches[2 * m]);
            w.removeUntil(matches[2 * m + 1]);
            for (int i = 0; i < content.length(); ) {
                int cp = content.codePointAt(i);
                i += Character.charCount(cp);
                w.insert(cp);
            }
        }
        w.keepUntil(text.length());
        w.finish();
    }
}
