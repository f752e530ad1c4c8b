package dev.infer4j.tokenizer.normalize;

import dev.infer4j.tokenizer.text.CanonicalOrder;
import dev.infer4j.tokenizer.text.Decompositions;
import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.UnicodeClasses;

/**
 * BERT's normalizer: drops control characters, turns whitespace into spaces, surrounds CJK ideographs with spaces,
 * strips accents (NFD, then drop non-spacing marks) and lowercases.
 *
 * <p>Hugging Face runs these as separate passes. Here one pass does cleaning, CJK spacing, decomposition and
 * lowercasing (each maps one code point to code points aligned with it, so they fuse); marks are reordered and
 * non-spacing marks dropped in later passes, only when the text has marks. Alignments come out as the reference's.
 *
 * @param stripAccents {@code null} means "as {@code lowercase}", like Hugging Face
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, Boolean stripAccents, boolean lowercase)
        implements Normalizer {

    @Override
    public void normalize(NormalizedText text) {
        boolean strip = stripAccents == null ? lowercase : stripAccents;
        NormalizedText.Rewriter w = text.rewrite();
        int marks = 0; // marks written; two in a row may need reordering
        boolean consecutiveMarks = false;
        boolean previousMark = false;
        char[] chars = text.chars();
        int length = text.length();
        while (w.hasNext()) {
            int at = w.position();
            int asciiEnd = at;
            while (asciiEnd < length && chars[asciiEnd] > 0x20 && chars[asciiEnd] < 0x7F) {
                asciiEnd++;
            }
            if (asciiEnd > at) {
                // printable ASCII: only lowercasing can change it
                w.keepAsciiUntil(asciiEnd, lowercase);
                previousMark = false;
                continue;
            }
            int cp = w.peek();
            if (cleanText) {
                if (cp == 0 || cp == 0xFFFD || UnicodeClasses.isBertControl(cp)) {
                    w.remove();
                    continue;
                }
                if (UnicodeClasses.isWhitespace(cp)) {
                    cp = ' ';
                }
            }
            if (handleChineseChars && UnicodeClasses.isChineseChar(cp)) {
                w.replace(' ');
                put(w, strip ? decomposed(cp) : cp, true);
                w.insert(' ');
                previousMark = false;
                continue;
            }
            char[] pieces = strip ? Decompositions.canonical(cp) : null;
            if (pieces == null) {
                put(w, cp, false);
                boolean mark = strip && CanonicalOrder.mayCombine(cp);
                consecutiveMarks |= mark && previousMark;
                marks += mark ? 1 : 0;
                previousMark = mark;
                continue;
            }
            boolean consumed = false;
            for (int i = 0; i < pieces.length; ) {
                int part = Character.codePointAt(pieces, i);
                i += Character.charCount(part);
                put(w, part, consumed);
                consumed = true;
                boolean mark = CanonicalOrder.mayCombine(part);
                consecutiveMarks |= mark && previousMark;
                marks += mark ? 1 : 0;
                previousMark = mark;
            }
        }
        w.finish();
        if (marks > 0) {
            if (consecutiveMarks) {
                CanonicalOrder.apply(text);
            }
            dropNonSpacingMarks(text);
        }
    }

    /** A CJK compatibility ideograph's canonical equivalent (a single code point), else the code point itself. */
    private static int decomposed(int cp) {
        char[] d = Decompositions.canonical(cp);
        return d == null ? cp : Character.codePointAt(d, 0);
    }

    /** Writes {@code cp} lowercased; it replaces the old code point unless one was already written for it. */
    private void put(NormalizedText.Rewriter w, int cp, boolean consumed) {
        if (lowercase) {
            if (cp == 0x130) {
                // the one unconditional multi-char lowercase mapping: İ -> i + combining dot above
                write(w, 'i', consumed);
                w.insert(0x307);
                return;
            }
            cp = Character.toLowerCase(cp);
        }
        write(w, cp, consumed);
    }

    private static void write(NormalizedText.Rewriter w, int cp, boolean consumed) {
        if (consumed) {
            w.insert(cp);
        } else {
            w.replace(cp);
        }
    }

    private static void dropNonSpacingMarks(NormalizedText text) {
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
