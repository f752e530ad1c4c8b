package dev.infer4j.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * The result of encoding one text or pair: parallel arrays with one entry per token, padding included.
 *
 * <p>Offsets are UTF-16 {@code char} indices into the input the token came from ({@code [start, end)}); for a pair,
 * tokens of the second sequence index into the second text. Special and padding tokens have offsets {@code (0, 0)}.
 * Accessors return copies; use the indexed getters in loops.
 */
public final class Encoding {

    private final int[] ids;
    private final int[] typeIds;
    private final int[] attentionMask;
    private final int[] specialTokensMask;
    private final int[] startOffsets;
    private final int[] endOffsets;
    private final List<Encoding> overflowing;

    /**
     * Takes ownership of the arrays (all of the same length); {@code overflowing} holds the pieces cut off by
     * truncation with a stride, empty when nothing overflowed.
     */
    public Encoding(int[] ids, int[] typeIds, int[] attentionMask, int[] specialTokensMask, int[] startOffsets,
                    int[] endOffsets, List<Encoding> overflowing) {
        int n = ids.length;
        if (typeIds.length != n || attentionMask.length != n || specialTokensMask.length != n
                || startOffsets.length != n || endOffsets.length != n) {
            throw new IllegalArgumentException("encoding arrays differ in length");
        }
        this.ids = ids;
        this.typeIds = typeIds;
        this.attentionMask = attentionMask;
        this.specialTokensMask = specialTokensMask;
        this.startOffsets = startOffsets;
        this.endOffsets = endOffsets;
        this.overflowing = List.copyOf(overflowing);
    }

    /** Number of tokens, padding included. */
    public int length() {
        return ids.length;
    }

    public int[] ids() {
        return ids.clone();
    }

    public int id(int index) {
        return ids[index];
    }

    /** Segment of each token: 0 for the first sequence, 1 for the second of a pair (or as the template says). */
    public int[] typeIds() {
        return typeIds.clone();
    }

    public int typeId(int index) {
        return typeIds[index];
    }

    /** 1 for real tokens, 0 for padding. */
    public int[] attentionMask() {
        return attentionMask.clone();
    }

    public int attentionMask(int index) {
        return attentionMask[index];
    }

    /** 1 for tokens the post-processor added (e.g. {@code [CLS]}, {@code [SEP]}, BOS) and for padding, else 0. */
    public int[] specialTokensMask() {
        return specialTokensMask.clone();
    }

    public int specialTokensMask(int index) {
        return specialTokensMask[index];
    }

    /** Start (inclusive) of each token in its input text, in UTF-16 chars. */
    public int[] startOffsets() {
        return startOffsets.clone();
    }

    /** End (exclusive) of each token in its input text, in UTF-16 chars. */
    public int[] endOffsets() {
        return endOffsets.clone();
    }

    public int startOffset(int index) {
        return startOffsets[index];
    }

    public int endOffset(int index) {
        return endOffsets[index];
    }

    /** Number of non-padding tokens. */
    public int realLength() {
        int n = 0;
        for (int m : attentionMask) {
            n += m;
        }
        return n;
    }

    /** The overflowing pieces when truncation cut tokens off (each piece is a full encoding), else empty. */
    public List<Encoding> overflowing() {
        return overflowing;
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(ids);
    }
}
