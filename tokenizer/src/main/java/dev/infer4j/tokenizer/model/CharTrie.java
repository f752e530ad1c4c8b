package dev.infer4j.tokenizer.model;

import java.util.Arrays;

/**
 * A trie over chars for common-prefix search (every vocabulary piece starting at a position), stored as one hash table
 * from (node, char) to child node, so that building a 250k-piece vocabulary takes a few arrays rather than millions of
 * objects. Immutable once built.
 */
final class CharTrie {

    private long[] keys; // node << 16 | char, -1 = empty
    private int[] children;
    private int[] values = new int[1024]; // piece id ending at a node, -1 if none
    private int mask;
    private int nodes = 1; // node 0 is the root
    private int used;

    CharTrie(int expectedChars) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedChars * 2)) << 1;
        keys = new long[capacity];
        Arrays.fill(keys, -1L);
        children = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(values, -1);
    }

    /** Adds a piece; a repeated piece keeps its first id. */
    void add(String piece, int id) {
        int node = 0;
        for (int i = 0; i < piece.length(); i++) {
            node = childOrCreate(node, piece.charAt(i));
        }
        if (values[node] < 0) {
            values[node] = id;
        }
    }

    /** The child of {@code node} by {@code c}, or -1. */
    int child(int node, char c) {
        long key = ((long) node << 16) | c;
        int slot = slot(key);
        return keys[slot] == key ? children[slot] : -1;
    }

    /** The piece id ending at {@code node}, or -1. */
    int value(int node) {
        return values[node];
    }

    private int childOrCreate(int node, char c) {
        long key = ((long) node << 16) | c;
        int slot = slot(key);
        if (keys[slot] == key) {
            return children[slot];
        }
        if ((used + 1) * 2 > keys.length) {
            rehash();
            slot = slot(key);
        }
        int child = nodes++;
        if (child >= values.length) {
            int old = values.length;
            values = Arrays.copyOf(values, old * 2);
            Arrays.fill(values, old, values.length, -1);
        }
        keys[slot] = key;
        children[slot] = child;
        used++;
        return child;
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldChildren = children;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, -1L);
        children = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != -1L) {
                int slot = slot(oldKeys[i]);
                keys[slot] = oldKeys[i];
                children[slot] = oldChildren[i];
            }
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        int slot = (int) (h ^ (h >>> 29)) & mask;
        while (keys[slot] != -1L && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }
}
