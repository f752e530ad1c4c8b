package dev.infer4j.tokenizer.model;

/**
 * BPE merge rules: the pair of ids {@code (left, right)} merges into {@code merged} with priority {@code rank} (lower
 * first). Open addressing over long keys, so lookups neither box nor allocate. Immutable once built.
 */
public final class MergeTable {

    private final long[] keys;
    private final int[] ranks;
    private final int[] merged;
    private final int mask;
    private int size;

    public MergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        java.util.Arrays.fill(keys, -1L);
        ranks = new int[capacity];
        merged = new int[capacity];
        mask = capacity - 1;
    }

    /** Adds a rule unless the pair already has one (the first, highest-priority rule wins, as in HF). */
    public void put(int left, int right, int rank, int mergedId) {
        if (size * 2 >= keys.length) {
            throw new IllegalStateException("merge table is full");
        }
        long key = key(left, right);
        int slot = slot(key);
        if (keys[slot] == key) {
            return;
        }
        keys[slot] = key;
        ranks[slot] = rank;
        merged[slot] = mergedId;
        size++;
    }

    /** The rank of the rule for {@code (left, right)}, or -1. */
    public int rank(int left, int right) {
        int slot = slot(key(left, right));
        return keys[slot] == -1L ? -1 : ranks[slot];
    }

    /** The id {@code (left, right)} merges into; only valid when {@link #rank} is not -1. */
    public int merged(int left, int right) {
        return merged[slot(key(left, right))];
    }

    public int size() {
        return size;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        int slot = (int) (h ^ (h >>> 32)) & mask;
        while (keys[slot] != -1L && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }
}
