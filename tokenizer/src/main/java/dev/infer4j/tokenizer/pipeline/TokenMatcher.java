package dev.infer4j.tokenizer.pipeline;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in text: leftmost match, longest at that position (like Hugging Face's Aho-Corasick in
 * leftmost-longest mode), with a char trie. Immutable.
 */
final class TokenMatcher {

    /** Trie node: children by char (sorted keys after {@link #freeze}), and the token ending here (-1 if none). */
    private static final class Node {
        Map<Character, Node> building = new HashMap<>(4);
        char[] keys;
        Node[] kids;
        int token = -1;

        void freeze() {
            keys = new char[building.size()];
            int k = 0;
            for (char c : building.keySet()) {
                keys[k++] = c;
            }
            Arrays.sort(keys);
            kids = new Node[keys.length];
            for (int i = 0; i < keys.length; i++) {
                kids[i] = building.get(keys[i]);
                kids[i].freeze();
            }
            building = null;
        }

        Node child(char c) {
            int i = Arrays.binarySearch(keys, c);
            return i >= 0 ? kids[i] : null;
        }
    }

    private final Node root = new Node();
    private final boolean[] firstChars = new boolean[65536];
    private final char singleFirstChar; // the one char every pattern starts with, or 0 when they differ
    private final boolean empty;

    /** @param patterns the strings to find; a match reports the index into this list */
    TokenMatcher(List<String> patterns) {
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            if (p.isEmpty()) {
                continue;
            }
            Node n = root;
            for (int k = 0; k < p.length(); k++) {
                n = n.building.computeIfAbsent(p.charAt(k), c -> new Node());
            }
            n.token = i;
            firstChars[p.charAt(0)] = true;
        }
        empty = root.building.isEmpty();
        singleFirstChar = root.building.size() == 1 ? root.building.keySet().iterator().next() : 0;
        root.freeze();
    }

    boolean isEmpty() {
        return empty;
    }

    /**
     * The leftmost-longest match in {@code s[from, to)} as {@code {start, end, patternIndex}}, or {@code null}.
     */
    int[] find(String s, int from, int to) {
        if (empty) {
            return null;
        }
        for (int i = from; i < to; i++) {
            if (singleFirstChar != 0) {
                i = s.indexOf(singleFirstChar, i); // vectorized scan to the only possible start
                if (i < 0 || i >= to) {
                    return null;
                }
            } else if (!firstChars[s.charAt(i)]) {
                continue;
            }
            Node n = root;
            int bestEnd = -1;
            int bestToken = -1;
            for (int k = i; k < to; k++) {
                n = n.child(s.charAt(k));
                if (n == null) {
                    break;
                }
                if (n.token >= 0) {
                    bestEnd = k + 1;
                    bestToken = n.token;
                }
            }
            if (bestEnd > 0) {
                return new int[] {i, bestEnd, bestToken};
            }
        }
        return null;
    }
}
