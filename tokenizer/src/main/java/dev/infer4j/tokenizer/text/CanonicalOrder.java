package dev.infer4j.tokenizer.text;

import java.text.Normalizer;

/**
 * Canonical reordering of combining marks (the last step of NFD) on a {@link NormalizedText}, with Hugging Face's
 * alignments. Its Unicode crate emits each decomposed piece with a flag: the first piece of a code point replaces it,
 * the others are inserted; reordering moves the pieces with their flags, and the transform then hands out the
 * alignments of the original code points, in their original order, to the replacing pieces, while an inserted piece
 * takes the alignment handed out last. Pieces of one code point share its alignment, which is how the flags are
 * recovered here.
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

    /** Whether {@code cp} has canonical combining class 0 (U+0345, the only class 240, sorts after every other). */
    public static boolean isStarter(int cp) {
        return !mayCombine(cp) || (cp != 0x345 && !mustSwap(0x345, cp));
    }

    /** Reorders every run of two or more marks of an already decomposed text into canonical order. */
    public static void apply(NormalizedText text) {
        NormalizedText.Rewriter w = null;
        int i = 0;
        int n = text.length();
        int[] cps = new int[8];
        int[] starts = new int[8];
        int[] ends = new int[8];
        boolean[] inserted = new boolean[8];
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!mayCombine(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int runStart = i;
            int count = 0;
            while (i < n) {
                int m = text.codePointAt(i);
                if (!mayCombine(m)) {
                    break;
                }
                if (count == cps.length) {
                    cps = java.util.Arrays.copyOf(cps, count * 2);
                    starts = java.util.Arrays.copyOf(starts, count * 2);
                    ends = java.util.Arrays.copyOf(ends, count * 2);
                    inserted = java.util.Arrays.copyOf(inserted, count * 2);
                }
                cps[count] = m;
                starts[count] = text.originalStart(i);
                ends[count] = text.originalEnd(i);
                // a piece aligned like the code point before it came from the same original code point
                inserted[count] = i > 0 && starts[count] == text.originalStart(i - 1)
                        && ends[count] == text.originalEnd(i - 1);
                i += Character.charCount(m);
                count++;
            }
            if (count < 2 || inOrder(cps, count)) {
                continue;
            }
            int[] order = sortedOrder(cps, count);
            if (w == null) {
                w = text.rewrite();
            }
            w.keepUntil(runStart);
            // alignments of the replacing pieces, in original order, go to the replacing pieces in the new order
            int nextSource = 0;
            int lastStart = runStart > 0 ? text.originalStart(runStart - 1) : text.originalShift();
            int lastEnd = runStart > 0 ? text.originalEnd(runStart - 1) : text.originalShift();
            for (int k = 0; k < count; k++) {
                int piece = order[k];
                if (!inserted[piece]) {
                    while (inserted[nextSource]) {
                        nextSource++;
                    }
                    lastStart = starts[nextSource];
                    lastEnd = ends[nextSource];
                    nextSource++;
                }
                w.replaceAligned(cps[piece], lastStart, lastEnd);
            }
        }
        if (w != null) {
            w.keepUntil(n);
            w.finish();
        }
    }

    private static boolean inOrder(int[] cps, int count) {
        for (int k = 1; k < count; k++) {
            if (mustSwap(cps[k - 1], cps[k])) {
                return false;
            }
        }
        return true;
    }

    /** A stable sort by combining class, as canonical ordering is: the new position of each piece. */
    private static int[] sortedOrder(int[] cps, int count) {
        int[] order = new int[count];
        for (int k = 0; k < count; k++) {
            order[k] = k;
        }
        for (int k = 1; k < count; k++) {
            for (int j = k; j > 0 && mustSwap(cps[order[j - 1]], cps[order[j]]); j--) {
                int t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        }
        return order;
    }

    /** Whether canonical ordering puts {@code b} before {@code a}: ccc(a) > ccc(b) > 0, asked of the JDK. */
    public static boolean mustSwap(int a, int b) {
        String pair = new StringBuilder(4).appendCodePoint(a).appendCodePoint(b).toString();
        return !Normalizer.isNormalized(pair, Normalizer.Form.NFD);
    }
}
