package dev.infer4j.tokenizer.normalize;

import dev.infer4j.tokenizer.text.NormalizedText;

/** Lowercases code point by code point (no context: Σ stays σ), İ becoming i + U+0307 as in Rust. */
public final class LowercaseNormalizer implements Normalizer {

    @Override
    public void normalize(NormalizedText text) {
        NormalizedText.Rewriter w = text.rewrite();
        while (w.hasNext()) {
            int cp = w.peek();
            if (cp == 0x130) {
                w.replace('i');
                w.insert(0x307);
            } else {
                w.replace(Character.toLowerCase(cp));
            }
        }
        w.finish();
    }
}
