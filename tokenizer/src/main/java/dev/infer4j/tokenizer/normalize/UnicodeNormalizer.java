package dev.infer4j.tokenizer.normalize;

import dev.infer4j.tokenizer.text.CanonicalOrder;
import dev.infer4j.tokenizer.text.Decompositions;
import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.UnicodeClasses;
import java.nio.CharBuffer;
import java.text.Normalizer.Form;

/**
 * NFC, NFD, NFKC or NFKD, with alignments as Hugging Face computes them: decomposition pieces are aligned to the code
 * point they come from, canonical reordering moves marks but not alignments, and a composed code point takes the
 * alignment of the first position it absorbs (one per code point of its decomposition). Code points newer than HF's
 * Unicode 9.0 tables are left alone.
 */
public record UnicodeNormalizer(Form form) implements Normalizer {

    @Override
    public void normalize(NormalizedText text) {
        if (isInert(text) || java.text.Normalizer.isNormalized(CharBuffer.wrap(text.chars(), 0, text.length()), form)) {
            return;
        }
        boolean compatibility = form == Form.NFKC || form == Form.NFKD;
        decompose(text, compatibility);
        CanonicalOrder.apply(text);
        if (form == Form.NFC || form == Form.NFKC) {
            compose(text);
        }
    }

    /** Text below U+00A0 is the same in every normalization form. */
    private static boolean isInert(NormalizedText text) {
        char[] chars = text.chars();
        for (int i = 0, n = text.length(); i < n; i++) {
            if (chars[i] >= 0xA0) {
                return false;
            }
        }
        return true;
    }

    private static void decompose(NormalizedText text, boolean compatibility) {
        NormalizedText.Rewriter w = text.rewrite();
        while (w.hasNext()) {
            int cp = w.peek();
            char[] pieces = compatibility ? Decompositions.compatibility(cp) : Decompositions.canonical(cp);
            if (pieces == null) {
                w.keep();
                continue;
            }
            int first = Character.codePointAt(pieces, 0);
            w.replace(first);
            for (int i = Character.charCount(first); i < pieces.length; ) {
                int next = Character.codePointAt(pieces, i);
                i += Character.charCount(next);
                w.insert(next);
            }
        }
        w.finish();
    }

    /** Canonical composition of a decomposed text, run by run (a code point and the marks or jamo after it). */
    private static void compose(NormalizedText text) {
        NormalizedText.Rewriter w = null;
        StringBuilder run = new StringBuilder();
        int n = text.length();
        int i = 0;
        while (i < n) {
            int runStart = i;
            int head = text.codePointAt(i);
            i += Character.charCount(head);
            if (!UnicodeClasses.knownToNormalization(head)) {
                continue;
            }
            while (i < n && continuesRun(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            if (i - runStart == Character.charCount(head)) {
                continue; // a lone code point is already composed
            }
            run.setLength(0);
            run.append(text.chars(), runStart, i - runStart);
            String composed = java.text.Normalizer.normalize(run, Form.NFC);
            if (composed.contentEquals(run)) {
                continue;
            }
            if (w == null) {
                w = text.rewrite();
            }
            w.keepUntil(runStart);
            for (int k = 0; k < composed.length(); ) {
                int cp = composed.codePointAt(k);
                k += Character.charCount(cp);
                char[] parts = Decompositions.canonical(cp);
                int absorbed = parts == null ? 1 : Character.codePointCount(parts, 0, parts.length);
                w.replace(cp);
                for (int a = 1; a < absorbed && w.position() < i; a++) {
                    w.remove();
                }
            }
            w.removeUntil(i);
        }
        if (w != null) {
            w.keepUntil(n);
            w.finish();
        }
    }

    /** Whether a code point may compose with what precedes it: marks, Hangul vowels and finals, voicing marks. */
    private static boolean continuesRun(int cp) {
        if (!UnicodeClasses.knownToNormalization(cp)) {
            return false;
        }
        if ((cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF) || cp == 0x3099 || cp == 0x309A) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
