package dev.infer4j.tokenizer.model;

import java.util.Arrays;

/** Growable parallel arrays of token ids and their ranges; reused across calls to avoid per-token allocation. */
public final class TokenBuffer {

    private int[] ids;
    private int[] starts;
    private int[] ends;
    private int size;

    public TokenBuffer(int capacity) {
        int c = Math.max(8, capacity);
        ids = new int[c];
        starts = new int[c];
        ends = new int[c];
    }

    public void add(int id, int start, int end) {
        if (size == ids.length) {
            int c = size * 2;
            ids = Arrays.copyOf(ids, c);
            starts = Arrays.copyOf(starts, c);
            ends = Arrays.copyOf(ends, c);
        }
        ids[size] = id;
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    public int size() {
        return size;
    }

    /** Drops the tokens from index {@code newSize} on. */
    public void truncate(int newSize) {
        size = newSize;
    }

    public void clear() {
        size = 0;
    }

    public int id(int index) {
        return ids[index];
    }

    public int start(int index) {
        return starts[index];
    }

    public int end(int index) {
        return ends[index];
    }

    public void set(int index, int id, int start, int end) {
        ids[index] = id;
        starts[index] = start;
        ends[index] = end;
    }
}
