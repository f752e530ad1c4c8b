package dev.infer4j.tokenizer.normalize;

import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.UnicodeClasses;

/** Removes non-spacing marks (Unicode 8.0 Mn, as Hugging Face); usually after NFD. */
public final class StripAccentsNormalizer implements Normalizer {

    @Override
    public void normalize(NormalizedText text) {
        NormalizedText.Rewriter w = text.rewrite();
        while (w.hasNext()) {
            if (UnicodeClasses.isNonSpacingMark(w.peek())) {
                w.remove();
            } else {
                w.keep();
            }
        }
        w.finish();
    }
}
