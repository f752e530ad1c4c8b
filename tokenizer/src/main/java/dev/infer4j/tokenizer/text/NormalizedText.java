package dev.infer4j.tokenizer.text;

import java.util.Arrays;

/**
 * Text being normalized, with the original range every char came from, so that tokens found in the normalized text
 * get offsets in the input.
 *
 * <p>Each UTF-16 unit of the normalized text is aligned to a {@code [start, end)} range of the original string (both
 * units of a surrogate pair share one alignment). Rewrites follow Hugging Face's {@code NormalizedString::transform}
 * rules: a code point that replaces an old one takes that one's alignment, an inserted code point takes the alignment
 * of the old code point just consumed (or an empty range at {@link #originalShift()} when nothing was consumed yet),
 * and removed code points leave no trace. That makes offsets identical to the reference, quirks included.
 *
 * <p>Not thread-safe; one instance per text being encoded. Lone surrogates are treated as U+FFFD code points.
 */
public final class NormalizedText {

    private char[] chars;
    private int[] starts;
    private int[] ends;
    private int length;
    private int originalShift;

    // target buffers of a rewrite, swapped in by Rewriter.finish()
    private char[] nextChars;
    private int[] nextStarts;
    private int[] nextEnds;
    private final Rewriter rewriter = new Rewriter();

    public NormalizedText(int capacity) {
        int c = Math.max(16, capacity);
        chars = new char[c];
        starts = new int[c];
        ends = new int[c];
        nextChars = new char[c];
        nextStarts = new int[c];
        nextEnds = new int[c];
    }

    /** The text {@code original[from, to)} with the identity alignment (offsets stay relative to {@code original}). */
    public static NormalizedText of(String original, int from, int to) {
        NormalizedText text = new NormalizedText(to - from);
        text.reset(original, from, to);
        return text;
    }

    /** Reuses this instance for {@code original[from, to)}. */
    public void reset(CharSequence original, int from, int to) {
        int n = to - from;
        ensureCapacity(n);
        originalShift = from;
        int i = from;
        int w = 0;
        while (i < to) {
            char c = original.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(original.charAt(i + 1))) {
                chars[w] = c;
                chars[w + 1] = original.charAt(i + 1);
                starts[w] = starts[w + 1] = i;
                ends[w] = ends[w + 1] = i + 2;
                w += 2;
                i += 2;
            } else {
                chars[w] = Character.isSurrogate(c) ? '\uFFFD' : c;
                starts[w] = i;
                ends[w] = i + 1;
                w++;
                i++;
            }
        }
        length = w;
    }

    /** Copies {@code [from, to)} of another normalized text, alignments included. */
    public void resetTo(NormalizedText source, int from, int to) {
        int n = to - from;
        ensureCapacity(n);
        System.arraycopy(source.chars, from, chars, 0, n);
        System.arraycopy(source.starts, from, starts, 0, n);
        System.arraycopy(source.ends, from, ends, 0, n);
        length = n;
        if (from < source.length) {
            originalShift = source.starts[from];
        } else {
            originalShift = source.length > 0 ? source.ends[source.length - 1] : source.originalShift;
        }
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public char charAt(int index) {
        return chars[index];
    }

    /** The normalized chars; valid up to {@link #length()}, until the next rewrite. */
    public char[] chars() {
        return chars;
    }

    /** The code point starting at {@code index}. */
    public int codePointAt(int index) {
        char c = chars[index];
        if (Character.isHighSurrogate(c) && index + 1 < length) {
            return Character.toCodePoint(c, chars[index + 1]);
        }
        return c;
    }

    /** Original start of the unit at {@code index}. */
    public int originalStart(int index) {
        return starts[index];
    }

    /** Original end of the unit at {@code index}. */
    public int originalEnd(int index) {
        return ends[index];
    }

    /** Where this text starts in the original; inserted text with nothing before it is aligned there. */
    public int originalShift() {
        return originalShift;
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }

    /** Starts rewriting this text from its first code point; call {@link Rewriter#finish()} at the end. */
    public Rewriter rewrite() {
        rewriter.begin();
        return rewriter;
    }

    private void ensureCapacity(int n) {
        if (chars.length < n) {
            int c = Math.max(n, chars.length * 2);
            chars = new char[c];
            starts = new int[c];
            ends = new int[c];
        }
    }

    /**
     * Builds the new content of the text while reading the old one code point by code point. Every old code point
     * must be consumed (kept, replaced or removed) before {@link #finish()}; unconsumed ones are removed.
     */
    public final class Rewriter {
        private int read;
        private int written;

        private void begin() {
            read = 0;
            written = 0;
            if (nextChars.length < chars.length) {
                nextChars = new char[chars.length];
                nextStarts = new int[chars.length];
                nextEnds = new int[chars.length];
            }
        }

        /** Whether old code points are left to consume. */
        public boolean hasNext() {
            return read < length;
        }

        /** The old code point at the read position. */
        public int peek() {
            return codePointAt(read);
        }

        /** The index of the read position in the old text. */
        public int position() {
            return read;
        }

        /** How many units have been written so far (the index the next written code point gets). */
        public int written() {
            return written;
        }

        /** Keeps the old code point at the read position as it is. */
        public void keep() {
            int n = Character.isHighSurrogate(chars[read]) && read + 1 < length ? 2 : 1;
            reserve(n);
            for (int k = 0; k < n; k++) {
                nextChars[written] = chars[read];
                nextStarts[written] = starts[read];
                nextEnds[written] = ends[read];
                written++;
                read++;
            }
        }

        /** Keeps the old code points up to (excluding) index {@code to} of the old text. */
        public void keepUntil(int to) {
            int n = to - read;
            reserve(n);
            System.arraycopy(chars, read, nextChars, written, n);
            System.arraycopy(starts, read, nextStarts, written, n);
            System.arraycopy(ends, read, nextEnds, written, n);
            written += n;
            read = to;
        }

        /**
         * Keeps the old text up to index {@code to}, which must be printable ASCII, lowercasing its letters when
         * asked: the fast path of normalizers on plain text.
         */
        public void keepAsciiUntil(int to, boolean lowercase) {
            int from = written;
            keepUntil(to);
            if (lowercase) {
                char[] out = nextChars;
                for (int k = from; k < written; k++) {
                    char c = out[k];
                    if (c >= 'A' && c <= 'Z') {
                        out[k] = (char) (c + 32);
                    }
                }
            }
        }

        /** Consumes the old code point at the read position and writes {@code codePoint} in its place. */
        public void replace(int codePoint) {
            int s = starts[read];
            int e = ends[read];
            skipOne();
            put(codePoint, s, e);
        }

        /** Consumes the old code point at the read position and writes {@code codePoint} with the given alignment. */
        public void replaceAligned(int codePoint, int originalStart, int originalEnd) {
            skipOne();
            put(codePoint, originalStart, originalEnd);
        }

        /** Writes {@code codePoint} as new text with the given alignment, consuming nothing. */
        public void insertAligned(int codePoint, int originalStart, int originalEnd) {
            put(codePoint, originalStart, originalEnd);
        }

        /** Writes {@code codePoint} as new text, aligned to the last consumed old code point. */
        public void insert(int codePoint) {
            int s;
            int e;
            if (read == 0) {
                s = originalShift;
                e = originalShift;
            } else {
                s = starts[read - 1];
                e = ends[read - 1];
            }
            put(codePoint, s, e);
        }

        /** Drops the old code point at the read position. */
        public void remove() {
            skipOne();
        }

        /** Drops the old code points up to (excluding) index {@code to} of the old text. */
        public void removeUntil(int to) {
            read = to;
        }

        private void skipOne() {
            read += Character.isHighSurrogate(chars[read]) && read + 1 < length ? 2 : 1;
        }

        private void put(int codePoint, int s, int e) {
            if (codePoint < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
                reserve(1);
                nextChars[written] = (char) codePoint;
                nextStarts[written] = s;
                nextEnds[written] = e;
                written++;
            } else {
                reserve(2);
                nextChars[written] = Character.highSurrogate(codePoint);
                nextChars[written + 1] = Character.lowSurrogate(codePoint);
                nextStarts[written] = nextStarts[written + 1] = s;
                nextEnds[written] = nextEnds[written + 1] = e;
                written += 2;
            }
        }

        private void reserve(int n) {
            if (written + n > nextChars.length) {
                int c = Math.max(written + n, nextChars.length * 2);
                nextChars = Arrays.copyOf(nextChars, c);
                nextStarts = Arrays.copyOf(nextStarts, c);
                nextEnds = Arrays.copyOf(nextEnds, c);
            }
        }

        /** Replaces the text with what was written. */
        public void finish() {
            char[] c = chars;
            int[] s = starts;
            int[] e = ends;
            chars = nextChars;
            starts = nextStarts;
            ends = nextEnds;
            nextChars = c;
            nextStarts = s;
            nextEnds = e;
            length = written;
        }
    }
}
