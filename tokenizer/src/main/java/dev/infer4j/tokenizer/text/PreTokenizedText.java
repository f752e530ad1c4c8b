package dev.infer4j.tokenizer.text;

import java.util.Arrays;

/**
 * A normalized text cut into splits (the "words" a model tokenizes independently), as ranges of its chars.
 * Chars outside every split (removed delimiters) are ignored. Splits are never empty and never overlap; they stay
 * in text order.
 */
public final class PreTokenizedText {

    private NormalizedText text;
    private int[] bounds = new int[16]; // start0, end0, start1, end1, ...
    private int count;
    private int[] nextBounds = new int[16];
    private int nextCount;
    private final SplitSink collector = this::collect;

    /** Cuts the text into parts, receiving one split at a time. */
    @FunctionalInterface
    public interface Splitter {
        /** Reports the parts of {@code text[start, end)} to {@code out} in order. */
        void split(NormalizedText text, int start, int end, SplitSink out);
    }

    /** Receives the parts a {@link Splitter} finds; empty parts are dropped. */
    @FunctionalInterface
    public interface SplitSink {
        void add(int start, int end);
    }

    /** Rewrites the content of one split; must consume exactly the old code points up to {@code end}. */
    @FunctionalInterface
    public interface SplitRewriter {
        /**
         * @param index the split's position among the current splits
         */
        void rewrite(NormalizedText.Rewriter writer, int index, int start, int end);
    }

    /** One split covering the whole text (none when the text is empty). */
    public PreTokenizedText(NormalizedText text) {
        reset(text);
    }

    /** Reuses this instance (and its grown buffers) for another text: one split covering all of it. */
    public void reset(NormalizedText newText) {
        this.text = newText;
        count = 0;
        if (!newText.isEmpty()) {
            bounds[0] = 0;
            bounds[1] = newText.length();
            count = 1;
        }
    }

    public NormalizedText text() {
        return text;
    }

    public int splitCount() {
        return count;
    }

    public int splitStart(int index) {
        return bounds[2 * index];
    }

    public int splitEnd(int index) {
        return bounds[2 * index + 1];
    }

    /** Replaces every split by the parts {@code splitter} reports for it. */
    public void split(Splitter splitter) {
        nextCount = 0;
        for (int i = 0; i < count; i++) {
            splitter.split(text, bounds[2 * i], bounds[2 * i + 1], collector);
        }
        swap();
    }

    /** Rewrites the content of every split (chars between splits are dropped); split boundaries follow the rewrite. */
    public void rewrite(SplitRewriter rewriter) {
        NormalizedText.Rewriter w = text.rewrite();
        nextCount = 0;
        for (int i = 0; i < count; i++) {
            w.removeUntil(bounds[2 * i]);
            int from = w.written();
            rewriter.rewrite(w, i, bounds[2 * i], bounds[2 * i + 1]);
            if (w.position() != bounds[2 * i + 1]) {
                throw new IllegalStateException("split rewriter consumed up to " + w.position() + " instead of "
                        + bounds[2 * i + 1]);
            }
            collect(from, w.written());
        }
        w.removeUntil(text.length());
        w.finish();
        swap();
    }

    private void collect(int start, int end) {
        if (end <= start) {
            return;
        }
        if (2 * nextCount + 2 > nextBounds.length) {
            nextBounds = Arrays.copyOf(nextBounds, nextBounds.length * 2);
        }
        nextBounds[2 * nextCount] = start;
        nextBounds[2 * nextCount + 1] = end;
        nextCount++;
    }

    private void swap() {
        int[] b = bounds;
        bounds = nextBounds;
        nextBounds = b;
        count = nextCount;
    }
}
