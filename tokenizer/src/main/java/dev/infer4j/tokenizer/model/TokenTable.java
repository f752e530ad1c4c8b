package dev.infer4j.tokenizer.model;

import java.util.Arrays;

/**
 * String-to-id map that looks up slices of a {@code char[]} without allocating: open addressing over one pool of
 * chars. Immutable once built.
 */
public final class TokenTable {

    private final long[] slots; // hash << 32 | (entry index + 1); 0 = empty
    private final int mask;
    private final char[] pool;
    private final int[] entryStart;
    private final int[] entryLength;
    private final int[] entryId;
    private final int size;
    private final int maxLength;

    /** Builds a table of {@code keys[i] -> ids[i]}; a repeated key keeps its last id. */
    public TokenTable(String[] keys, int[] ids, int count) {
        int capacity = Integer.highestOneBit(Math.max(4, count * 2 - 1)) << 1;
        slots = new long[capacity];
        mask = capacity - 1;
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += keys[i].length();
        }
        pool = new char[total];
        entryStart = new int[count];
        entryLength = new int[count];
        entryId = new int[count];
        int n = 0;
        int at = 0;
        int longest = 0;
        for (int i = 0; i < count; i++) {
            String key = keys[i];
            key.getChars(0, key.length(), pool, at);
            int h = hash(pool, at, at + key.length());
            int slot = findSlot(pool, at, at + key.length(), h);
            if (slots[slot] != 0) {
                entryId[(int) slots[slot] - 1] = ids[i];
                continue;
            }
            entryStart[n] = at;
            entryLength[n] = key.length();
            entryId[n] = ids[i];
            slots[slot] = ((long) h << 32) | (n + 1);
            at += key.length();
            longest = Math.max(longest, key.length());
            n++;
        }
        size = n;
        maxLength = longest;
    }

    /** The id of {@code chars[from, to)}, or -1. */
    public int get(char[] chars, int from, int to) {
        if (to - from > maxLength) {
            return -1;
        }
        long e = slots[findSlot(chars, from, to, hash(chars, from, to))];
        return e == 0 ? -1 : entryId[(int) e - 1];
    }

    /** The id of {@code key}, or -1. */
    public int get(String key) {
        char[] chars = key.toCharArray();
        return get(chars, 0, chars.length);
    }

    /** Number of distinct keys. */
    public int size() {
        return size;
    }

    /** Length in chars of the longest key. */
    public int maxLength() {
        return maxLength;
    }

    private int findSlot(char[] chars, int from, int to, int h) {
        int slot = h & mask;
        int len = to - from;
        while (true) {
            long v = slots[slot];
            if (v == 0) {
                return slot;
            }
            if ((int) (v >>> 32) == h) {
                int e = (int) v - 1;
                if (entryLength[e] == len && Arrays.equals(pool, entryStart[e], entryStart[e] + len, chars, from, to)) {
                    return slot;
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    private static int hash(char[] chars, int from, int to) {
        int h = 0x9E3779B9;
        for (int i = from; i < to; i++) {
            h = (h ^ chars[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }
}
