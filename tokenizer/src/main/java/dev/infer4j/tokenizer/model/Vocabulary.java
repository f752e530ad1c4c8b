package dev.infer4j.tokenizer.model;

import dev.infer4j.tokenizer.TokenizerFormatException;
import java.util.Arrays;

/** A model's tokens by id and ids by token. Ids may have holes (tokens that are {@code null}). Immutable. */
public final class Vocabulary {

    private final String[] tokens;
    private final TokenTable ids;

    /**
     * @param tokens the token of each id ({@code null} for unused ids)
     * @param field  where the tokens come from, for error messages
     */
    public Vocabulary(String[] tokens, String field) {
        this.tokens = tokens.clone();
        String[] keys = new String[tokens.length];
        int[] values = new int[tokens.length];
        int n = 0;
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] != null) {
                keys[n] = tokens[id];
                values[n] = id;
                n++;
            }
        }
        if (n == 0) {
            throw new TokenizerFormatException(field, "the vocabulary is empty");
        }
        this.ids = new TokenTable(keys, values, n);
    }

    /** Number of ids (the largest id + 1). */
    public int size() {
        return tokens.length;
    }

    /** The token of {@code id}, or {@code null} when out of range or unused. */
    public String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    /** The id of {@code token}, or -1. */
    public int id(String token) {
        return ids.get(token);
    }

    /** The id of {@code chars[from, to)}, or -1; allocation-free. */
    public int id(char[] chars, int from, int to) {
        return ids.get(chars, from, to);
    }

    /** A copy of all tokens by id. */
    public String[] tokens() {
        return Arrays.copyOf(tokens, tokens.length);
    }
}
