package dev.infer4j.tokenizer.model;

import java.util.Arrays;

/**
 * A per-thread memo of BPE results by word (as Hugging Face's BPE cache): the tokens of a word are found once, then
 * copied. Keys and values live in flat arrays, so neither lookups nor insertions allocate; when full, the cache
 * simply starts over.
 */
final class WordCache {

    private static final int SLOTS = 1 << 13;
    private static final int MAX_WORD = 64;

    private final long[] slots = new long[SLOTS]; // hash << 32 | entry + 1
    private final int[] keyStart = new int[SLOTS / 2];
    private final int[] keyLength = new int[SLOTS / 2];
    private final int[] valueStart = new int[SLOTS / 2];
    private final int[] valueCount = new int[SLOTS / 2];
    private final char[] keys = new char[SLOTS / 2 * 12];
    private final int[] values = new int[SLOTS / 2 * 3 * 6]; // id, start, end relative to the word
    private int entries;
    private int keysUsed;
    private int valuesUsed;

    /** Appends the cached tokens of {@code chars[from, to)} to {@code out} (offsets shifted); false when absent. */
    boolean get(char[] chars, int from, int to, TokenBuffer out) {
        int len = to - from;
        if (len > MAX_WORD) {
            return false;
        }
        int h = hash(chars, from, to);
        int slot = h & (SLOTS - 1);
        while (true) {
            long v = slots[slot];
            if (v == 0) {
                return false;
            }
            if ((int) (v >>> 32) == h) {
                int e = (int) v - 1;
                if (keyLength[e] == len && Arrays.equals(keys, keyStart[e], keyStart[e] + len, chars, from, to)) {
                    int at = valueStart[e];
                    for (int k = 0; k < valueCount[e]; k++, at += 3) {
                        out.add(values[at], from + values[at + 1], from + values[at + 2]);
                    }
                    return true;
                }
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }

    /** Remembers the tokens {@code out[firstToken, out.size())} found for {@code chars[from, to)}. */
    void put(char[] chars, int from, int to, TokenBuffer out, int firstToken) {
        int len = to - from;
        int count = out.size() - firstToken;
        if (len > MAX_WORD) {
            return;
        }
        if (entries >= keyStart.length || keysUsed + len > keys.length || valuesUsed + 3 * count > values.length) {
            clear();
            if (3 * count > values.length) {
                return;
            }
        }
        int h = hash(chars, from, to);
        int slot = h & (SLOTS - 1);
        while (slots[slot] != 0) {
            slot = (slot + 1) & (SLOTS - 1);
        }
        int e = entries++;
        System.arraycopy(chars, from, keys, keysUsed, len);
        keyStart[e] = keysUsed;
        keyLength[e] = len;
        keysUsed += len;
        valueStart[e] = valuesUsed;
        valueCount[e] = count;
        for (int k = firstToken; k < out.size(); k++) {
            values[valuesUsed++] = out.id(k);
            values[valuesUsed++] = out.start(k) - from;
            values[valuesUsed++] = out.end(k) - from;
        }
        slots[slot] = ((long) h << 32) | (e + 1);
    }

    private void clear() {
        Arrays.fill(slots, 0);
        entries = 0;
        keysUsed = 0;
        valuesUsed = 0;
    }

    private static int hash(char[] chars, int from, int to) {
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) {
            h = (h ^ chars[i]) * 0x01000193;
        }
        return h ^ (h >>> 13);
    }
}
