package dev.infer4j.tokenizer.model;

import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.text.NormalizedText;

/**
 * SentencePiece Unigram (Hugging Face's {@code Unigram} model): the segmentation with the highest total piece score,
 * by Viterbi over all vocabulary pieces; a code point no piece covers is the unknown token, scored the lowest piece
 * score minus 10, and consecutive unknowns fuse. With byte fallback an unknown run becomes byte tokens.
 */
public final class UnigramModel implements TokenModel {

    private static final double UNKNOWN_PENALTY = 10.0;

    private final Vocabulary vocabulary;
    private final double[] scores;
    private final int unkId;
    private final boolean byteFallback;
    private final double unknownScore;
    private final CharTrie trie;
    private final int[] byteIds;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    public UnigramModel(Vocabulary vocabulary, double[] scores, int unkId, boolean byteFallback) {
        if (scores.length != vocabulary.size()) {
            throw new TokenizerFormatException("model.vocab", "scores and pieces differ in number");
        }
        this.vocabulary = vocabulary;
        this.scores = scores.clone();
        this.unkId = unkId;
        this.byteFallback = byteFallback;
        double min = Double.POSITIVE_INFINITY;
        int chars = 0;
        for (int id = 0; id < scores.length; id++) {
            min = Math.min(min, scores[id]);
            String piece = vocabulary.token(id);
            chars += piece == null ? 0 : piece.length();
        }
        this.unknownScore = min - UNKNOWN_PENALTY;
        this.trie = new CharTrie(chars);
        for (int id = 0; id < scores.length; id++) {
            String piece = vocabulary.token(id);
            if (piece != null && !piece.isEmpty()) {
                trie.add(piece, id);
            }
        }
        this.byteIds = BpeModel.byteTokenIds(vocabulary);
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public void tokenize(NormalizedText text, int start, int end, TokenBuffer out) {
        char[] chars = text.chars();
        int n = end - start;
        Scratch s = scratch.get();
        s.reset(n + 1);
        // best[k]: best path covering chars [start, start + k)
        s.from[0] = 0;
        for (int at = 0; at < n; ) {
            if (s.from[at] < 0) {
                at++;
                continue; // inside a surrogate pair
            }
            double base = s.score[at];
            int charLen = Character.charCount(Character.codePointAt(chars, start + at, end));
            boolean singleCharPiece = false;
            int node = 0;
            for (int k = at; k < n; k++) {
                node = trie.child(node, chars[start + k]);
                if (node < 0) {
                    break;
                }
                int id = trie.value(node);
                if (id < 0) {
                    continue;
                }
                int to = k + 1;
                double candidate = base + scores[id];
                if (s.from[to] < 0 || candidate > s.score[to]) {
                    s.score[to] = candidate;
                    s.from[to] = at;
                    s.id[to] = id;
                }
                if (to - at == charLen) {
                    singleCharPiece = true;
                }
            }
            if (!singleCharPiece) {
                int to = at + charLen;
                double candidate = base + unknownScore;
                if (s.from[to] < 0 || candidate > s.score[to]) {
                    if (unkId < 0) {
                        throw new IllegalStateException("unigram model without unknown token cannot encode "
                                + new String(chars, start + at, charLen));
                    }
                    s.score[to] = candidate;
                    s.from[to] = at;
                    s.id[to] = unkId;
                }
            }
            at += charLen;
        }
        // walk back, fusing consecutive unknowns
        int count = 0;
        for (int to = n; to > 0; ) {
            int from = s.from[to];
            int id = s.id[to];
            if (id == unkId && count > 0 && s.pathId[count - 1] == unkId) {
                s.pathStart[count - 1] = from;
            } else {
                s.pathId[count] = id;
                s.pathStart[count] = from;
                s.pathEnd[count] = to;
                count++;
            }
            to = from;
        }
        for (int i = count - 1; i >= 0; i--) {
            int from = start + s.pathStart[i];
            int to = start + s.pathEnd[i];
            int id = s.pathId[i];
            if (id == unkId && byteFallback && addBytes(chars, from, to, out)) {
                continue;
            }
            out.add(id, from, to);
        }
    }

    private boolean addBytes(char[] chars, int from, int to, TokenBuffer out) {
        byte[] utf8 = new String(chars, from, to - from).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte b : utf8) {
            if (byteIds[b & 0xFF] < 0) {
                return false;
            }
        }
        for (byte b : utf8) {
            out.add(byteIds[b & 0xFF], from, to);
        }
        return true;
    }

    /** Viterbi lattice and the path found, per thread. */
    private static final class Scratch {
        double[] score = new double[64];
        int[] from = new int[64];
        int[] id = new int[64];
        int[] pathId = new int[64];
        int[] pathStart = new int[64];
        int[] pathEnd = new int[64];

        void reset(int n) {
            if (score.length < n) {
                int c = Math.max(n, score.length * 2);
                score = new double[c];
                from = new int[c];
                id = new int[c];
                pathId = new int[c];
                pathStart = new int[c];
                pathEnd = new int[c];
            }
            java.util.Arrays.fill(from, 0, n, -1);
            java.util.Arrays.fill(score, 0, n, 0.0);
        }
    }
}
