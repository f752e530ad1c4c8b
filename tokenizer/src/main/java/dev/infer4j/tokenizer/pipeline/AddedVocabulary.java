package dev.infer4j.tokenizer.pipeline;

import dev.infer4j.tokenizer.normalize.Normalizer;
import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.UnicodeClasses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The added tokens of a tokenizer and how they are found: tokens with {@code normalized = false} in the input text,
 * the others in the normalized text (their content normalized too), as Hugging Face's {@code AddedVocabulary}.
 * Immutable.
 */
public final class AddedVocabulary {

    /** Receives the segments of a text: plain text to tokenize, or an added token. */
    public interface SegmentSink {
        void text(int start, int end);

        void token(int id, int start, int end);
    }

    private final List<AddedToken> tokens;
    private final Map<Integer, AddedToken> byId = new HashMap<>();
    private final Map<String, Integer> byContent = new HashMap<>();
    private final List<AddedToken> raw = new ArrayList<>();
    private final List<AddedToken> normalizedTokens = new ArrayList<>();
    private final TokenMatcher rawMatcher;
    private final TokenMatcher normalizedMatcher;

    /** @param normalizer the tokenizer's normalizer (may be null), applied to the content of normalized tokens */
    public AddedVocabulary(List<AddedToken> tokens, Normalizer normalizer) {
        this.tokens = List.copyOf(tokens);
        List<String> rawPatterns = new ArrayList<>();
        List<String> normalizedPatterns = new ArrayList<>();
        for (AddedToken t : tokens) {
            if (t.content().isEmpty()) {
                continue;
            }
            byId.put(t.id(), t);
            byContent.put(t.content(), t.id());
            if (t.normalized()) {
                String content = t.content();
                if (normalizer != null) {
                    NormalizedText n = NormalizedText.of(content, 0, content.length());
                    normalizer.normalize(n);
                    content = n.toString();
                }
                normalizedTokens.add(t);
                normalizedPatterns.add(content);
            } else {
                raw.add(t);
                rawPatterns.add(t.content());
            }
        }
        rawMatcher = new TokenMatcher(rawPatterns);
        normalizedMatcher = new TokenMatcher(normalizedPatterns);
    }

    public List<AddedToken> tokens() {
        return tokens;
    }

    public boolean hasNormalizedTokens() {
        return !normalizedMatcher.isEmpty();
    }

    /** The added token with this id, or null. */
    public AddedToken byId(int id) {
        return byId.get(id);
    }

    /** The id of an added token's content, or -1. */
    public int idOf(String content) {
        Integer id = byContent.get(content);
        return id == null ? -1 : id;
    }

    /** Splits input text {@code s[from, to)} around the non-normalized added tokens. */
    public void splitRaw(String s, int from, int to, SegmentSink sink) {
        split(s, from, to, rawMatcher, raw, sink);
    }

    /** Splits normalized text {@code s[from, to)} around the normalized added tokens. */
    public void splitNormalized(String s, int from, int to, SegmentSink sink) {
        split(s, from, to, normalizedMatcher, normalizedTokens, sink);
    }

    private static void split(String s, int from, int to, TokenMatcher matcher, List<AddedToken> candidates,
                              SegmentSink sink) {
        int done = from; // end of the last emitted segment
        int search = from;
        while (search < to) {
            int[] m = matcher.find(s, search, to);
            if (m == null) {
                break;
            }
            int start = m[0];
            int stop = m[1];
            AddedToken token = candidates.get(m[2]);
            search = stop;
            if (token.singleWord()) {
                boolean spaceBefore = start == from || !isWordChar(Character.codePointBefore(s, start));
                boolean spaceAfter = stop == to || !isWordChar(Character.codePointAt(s, stop));
                if (!spaceBefore || !spaceAfter) {
                    continue;
                }
            }
            if (token.lstrip()) {
                int left = start;
                while (left > from) {
                    int cp = Character.codePointBefore(s, left);
                    if (!UnicodeClasses.isWhitespace(cp)) {
                        break;
                    }
                    left -= Character.charCount(cp);
                }
                start = Math.max(left, done);
            }
            if (token.rstrip()) {
                while (stop < to) {
                    int cp = Character.codePointAt(s, stop);
                    if (!UnicodeClasses.isWhitespace(cp)) {
                        break;
                    }
                    stop += Character.charCount(cp);
                }
            }
            if (done < start) {
                sink.text(done, start);
            }
            sink.token(token.id(), start, stop);
            done = stop;
        }
        if (done < to || from == to) {
            sink.text(done, to);
        }
    }

    /** Rust regex's {@code \w}: alphabetic, marks, decimal digits, connector punctuation, join controls. */
    private static boolean isWordChar(int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
        }
        int type = Character.getType(cp);
        return Character.isAlphabetic(cp) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.DECIMAL_DIGIT_NUMBER || type == Character.CONNECTOR_PUNCTUATION
                || cp == 0x200C || cp == 0x200D;
    }
}
