package dev.infer4j.tokenizer.text;

import java.text.Normalizer;

/**
 * Canonical reordering of combining marks (the last step of NFD) on a {@link NormalizedText}. The marks move, the
 * alignments stay where they are: the k-th code point of a reordered run takes the alignment of the k-th code point
 * that was there, as Hugging Face's position-based {@code transform} does.
 */
public final class CanonicalOrder {

    private CanonicalOrder() {
    }

    /**
     * Whether {@code cp} may be a non-starter (canonical combining class above 0): every such code point is a mark;
     * marks newer than Hugging Face's Unicode 9.0 tables are starters to it.
     */
    public static boolean mayCombine(int cp) {
        if (cp < 0x300) {
            return false;
        }
        int type = Character.getType(cp);
        return (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK) && UnicodeClasses.knownToNormalization(cp);
    }

    /** Reorders every run of two or more marks of an already decomposed text into canonical order. */
    public static void apply(NormalizedText text) {
        NormalizedText.Rewriter w = null;
        StringBuilder run = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!mayCombine(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            int count = 0;
            run.setLength(0);
            while (i < n) {
                int m = text.codePointAt(i);
                if (!mayCombine(m)) {
                    break;
                }
                run.appendCodePoint(m);
                i += Character.charCount(m);
                count++;
            }
            if (count < 2 || Normalizer.isNormalized(run, Normalizer.Form.NFD)) {
                continue;
            }
            String sorted = Normalizer.normalize(run, Normalizer.Form.NFD);
            if (sorted.codePointCount(0, sorted.length()) != count) {
                continue; // not a pure reordering; leave the run as it is
            }
            if (w == null) {
                w = text.rewrite();
            }
            w.keepUntil(start);
            for (int k = 0; k < sorted.length(); ) {
                int m = sorted.codePointAt(k);
                k += Character.charCount(m);
                w.replace(m);
            }
        }
        if (w != null) {
            w.keepUntil(n);
            w.finish();
        }
    }
}
