package dev.infer4j.tokenizer.normalize;

import dev.infer4j.tokenizer.text.NormalizedText;

/** Puts {@code prefix} in front of a non-empty text, aligned to its first char (Hugging Face's {@code Prepend}). */
public record PrependNormalizer(String prefix) implements Normalizer {

    @Override
    public void normalize(NormalizedText text) {
        if (text.isEmpty() || prefix.isEmpty()) {
            return;
        }
        NormalizedText.Rewriter w = text.rewrite();
        int first = w.peek();
        int p0 = prefix.codePointAt(0);
        w.replace(p0);
        for (int i = Character.charCount(p0); i < prefix.length(); ) {
            int cp = prefix.codePointAt(i);
            i += Character.charCount(cp);
            w.insert(cp);
        }
        w.insert(first);
        w.keepUntil(text.length());
        w.finish();
    }
}
