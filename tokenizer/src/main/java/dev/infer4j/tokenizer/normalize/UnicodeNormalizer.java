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

    /**
     * Canonical composition of a decomposed text, run by run (a code point and the marks or jamo after it), with
     * Hugging Face's alignments: a piece that was inserted by decomposition (aligned like the piece before it) counts
     * +1, a composed code point absorbs the counts of what it swallowed minus one each, and the original alignments
     * are handed out in order to pieces whose count is not positive, as the reference's transform does.
     */
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
            if (java.text.Normalizer.isNormalized(run, Form.NFC)) {
                continue;
            }
            if (w == null) {
                w = text.rewrite();
            }
            w.keepUntil(runStart);
            composeRun(text, runStart, i, w);
        }
        if (w != null) {
            w.keepUntil(n);
            w.finish();
        }
    }

    private static void composeRun(NormalizedText text, int from, int to, NormalizedText.Rewriter w) {
        int count = text.length() == 0 ? 0 : Character.codePointCount(text.chars(), from, to - from);
        int[] cps = new int[count];
        int[] starts = new int[count];
        int[] ends = new int[count];
        int[] change = new int[count]; // +1 inserted by decomposition, 0 replacing an original code point
        int k = 0;
        for (int at = from; at < to; k++) {
            cps[k] = text.codePointAt(at);
            starts[k] = text.originalStart(at);
            ends[k] = text.originalEnd(at);
            change[k] = at > 0 && starts[k] == text.originalStart(at - 1) && ends[k] == text.originalEnd(at - 1)
                    ? 1 : 0;
            at += Character.charCount(cps[k]);
        }
        // original alignments in order: the replacing pieces' (decomposition and reordering kept them in order)
        int[] sourceStarts = new int[count];
        int[] sourceEnds = new int[count];
        int sources = 0;
        for (k = 0; k < count; k++) {
            if (change[k] == 0) {
                sourceStarts[sources] = starts[k];
                sourceEnds[sources] = ends[k];
                sources++;
            }
        }
        // canonical composition: a piece joins the last starter unless a piece in between blocks it
        boolean[] absorbed = new boolean[count];
        int starter = CanonicalOrder.isStarter(cps[0]) ? 0 : -1;
        int previous = 0; // last piece not absorbed
        for (k = 1; k < count; k++) {
            int c = cps[k];
            if (starter >= 0) {
                boolean adjacent = previous == starter;
                boolean blocked = !adjacent && (CanonicalOrder.isStarter(cps[previous])
                        || !CanonicalOrder.mustSwap(c, cps[previous]));
                int composite = blocked ? -1 : composite(cps[starter], c);
                if (composite >= 0) {
                    cps[starter] = composite;
                    change[starter] += change[k] - 1;
                    absorbed[k] = true;
                    continue;
                }
            }
            if (CanonicalOrder.isStarter(c)) {
                starter = k;
            }
            previous = k;
        }
        int nextSource = 0;
        int lastStart = from > 0 ? text.originalStart(from - 1) : text.originalShift();
        int lastEnd = from > 0 ? text.originalEnd(from - 1) : text.originalShift();
        for (k = 0; k < count; k++) {
            if (absorbed[k]) {
                continue;
            }
            if (change[k] <= 0 && nextSource < sources) {
                lastStart = sourceStarts[nextSource];
                lastEnd = sourceEnds[nextSource];
                nextSource = Math.min(sources, nextSource + 1 - change[k]);
            }
            w.insertAligned(cps[k], lastStart, lastEnd);
        }
        w.removeUntil(to);
    }

    /** The primary composite of two code points, or -1. */
    private static int composite(int first, int second) {
        String pair = new StringBuilder(4).appendCodePoint(first).appendCodePoint(second).toString();
        String composed = java.text.Normalizer.normalize(pair, Form.NFC);
        return composed.codePointCount(0, composed.length()) == 1 ? composed.codePointAt(0) : -1;
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
