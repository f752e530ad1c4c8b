package dev.infer4j.tokenizer.model;

import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.text.NormalizedText;

/**
 * WordPiece (BERT): greedy longest-match-first over each word, continuation pieces carrying a prefix ({@code ##});
 * a word with an unmatched part, or longer than {@code maxInputCharsPerWord} code points, becomes the unknown token.
 */
public final class WordPieceModel implements TokenModel {

    private final Vocabulary vocabulary;
    private final int unkId;
    private final String continuingSubwordPrefix;
    private final int maxInputCharsPerWord;
    /** Tokens that start with the continuation prefix, stored without it, so lookups need no concatenation. */
    private final TokenTable continuations;

    public WordPieceModel(Vocabulary vocabulary, String unkToken, String continuingSubwordPrefix,
                          int maxInputCharsPerWord) {
        this.vocabulary = vocabulary;
        this.unkId = vocabulary.id(unkToken);
        if (unkId < 0) {
            throw new TokenizerFormatException("model.unk_token", "'" + unkToken + "' is not in the vocabulary");
        }
        this.continuingSubwordPrefix = continuingSubwordPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        int n = vocabulary.size();
        String[] keys = new String[n];
        int[] ids = new int[n];
        int count = 0;
        for (int id = 0; id < n; id++) {
            String token = vocabulary.token(id);
            if (token != null && token.startsWith(continuingSubwordPrefix)) {
                keys[count] = token.substring(continuingSubwordPrefix.length());
                ids[count] = id;
                count++;
            }
        }
        this.continuations = new TokenTable(keys, ids, count);
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public String continuingSubwordPrefix() {
        return continuingSubwordPrefix;
    }

    public int unkId() {
        return unkId;
    }

    @Override
    public void tokenize(NormalizedText text, int start, int end, TokenBuffer out) {
        char[] chars = text.chars();
        if (Character.codePointCount(chars, start, end - start) > maxInputCharsPerWord) {
            out.add(unkId, start, end);
            return;
        }
        int mark = out.size();
        int at = start;
        while (at < end) {
            boolean continuation = at > start;
            long match = longestMatch(chars, at, end, continuation);
            if (match < 0) {
                out.truncate(mark);
                out.add(unkId, start, end);
                return;
            }
            int pieceEnd = (int) (match >>> 32);
            out.add((int) match, at, pieceEnd);
            at = pieceEnd;
        }
    }

    /** The longest known piece starting at {@code from} as {@code end << 32 | id}, or -1. */
    private long longestMatch(char[] chars, int from, int end, boolean continuation) {
        TokenTable table = continuation ? continuations : null;
        int limit = continuation ? continuations.maxLength() : Integer.MAX_VALUE;
        int to = end - from > limit ? from + limit : end;
        if (to < end && Character.isLowSurrogate(chars[to]) && to > from) {
            to--; // never cut a surrogate pair
        }
        while (to > from) {
            int id = table != null ? table.get(chars, from, to) : vocabulary.id(chars, from, to);
            if (id >= 0) {
                return ((long) to << 32) | id;
            }
            boolean pair = to - 2 >= from && Character.isLowSurrogate(chars[to - 1])
                    && Character.isHighSurrogate(chars[to - 2]);
            to -= pair ? 2 : 1;
        }
        return -1;
    }
}
