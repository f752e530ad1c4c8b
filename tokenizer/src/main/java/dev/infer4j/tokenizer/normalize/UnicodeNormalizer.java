package dev.infer4j.tokenizer.normalize;

import dev.infer4j.tokenizer.text.Decompositions;
import dev.infer4j.tokenizer.text.NormalizedText;
import java.text.Normalizer.Form;

/**
 * NFC, NFD, NFKC or NFKD with alignments. The text is normalized in runs (a non-mark code point and the marks after
 * it, Hangul jamo sequences kept together), which normalize independently. In a run that normalization leaves alone
 * nothing moves; in one that decomposes without reordering each code point's pieces stay aligned to it; otherwise the
 * new code points are aligned position by position to the old ones, the extra ones to the last consumed.
 */
public record UnicodeNormalizer(Form form) implements Normalizer {

    @Override
    public void normalize(NormalizedText text) {
        if (java.text.Normalizer.isNormalized(text.toString(), form)) {
            return;
        }
        String original = text.toString();
        NormalizedText.Rewriter w = text.rewrite();
        StringBuilder run = new StringBuilder();
        int i = 0;
        int n = original.length();
        while (i < n) {
            int runStart = i;
            i += Character.charCount(original.codePointAt(i));
            while (i < n && continuesRun(original.codePointAt(i))) {
                i += Character.charCount(original.codePointAt(i));
            }
            run.setLength(0);
            run.append(original, runStart, i);
            if (java.text.Normalizer.isNormalized(run, form)) {
                w.keepUntil(i);
                continue;
            }
            rewriteRun(w, original, runStart, i, java.text.Normalizer.normalize(run, form));
        }
        w.finish();
    }

    private void rewriteRun(NormalizedText.Rewriter w, String original, int from, int to, String normalized) {
        boolean decomposing = form == Form.NFD || form == Form.NFKD;
        if (decomposing) {
            StringBuilder pieces = new StringBuilder();
            for (int k = from; k < to; ) {
                int cp = original.codePointAt(k);
                k += Character.charCount(cp);
                char[] d = form == Form.NFD ? Decompositions.canonical(cp) : Decompositions.compatibility(cp);
                if (d == null) {
                    pieces.appendCodePoint(cp);
                } else {
                    pieces.append(d);
                }
            }
            if (pieces.toString().equals(normalized)) {
                // no reordering: each old code point is replaced by its own decomposition
                for (int k = from; k < to; ) {
                    int cp = original.codePointAt(k);
                    k += Character.charCount(cp);
                    char[] d = form == Form.NFD ? Decompositions.canonical(cp) : Decompositions.compatibility(cp);
                    if (d == null) {
                        w.keep();
                        continue;
                    }
                    String s = new String(d);
                    int first = s.codePointAt(0);
                    w.replace(first);
                    for (int j = Character.charCount(first); j < s.length(); ) {
                        int next = s.codePointAt(j);
                        j += Character.charCount(next);
                        w.insert(next);
                    }
                }
                return;
            }
        }
        // positional: new code point k takes old code point k's alignment; extras are inserted or removed at the end
        int j = 0;
        while (j < normalized.length()) {
            int cp = normalized.codePointAt(j);
            j += Character.charCount(cp);
            if (w.position() < to) {
                w.replace(cp);
            } else {
                w.insert(cp);
            }
        }
        w.removeUntil(to);
    }

    /** Whether a code point may interact with the one before it under normalization. */
    private static boolean continuesRun(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || (cp >= 0x1160 && cp <= 0x11FF) // Hangul jamo vowels and finals compose with what precedes
                || (cp >= 0xD7B0 && cp <= 0xD7FF)
                || (cp >= 0xFF9E && cp <= 0xFF9F); // half-width voicing marks (NFKC)
    }
}
