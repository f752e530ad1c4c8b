package dev.infer4j.tokenizer.pipeline;

import dev.infer4j.tokenizer.StreamingDecoder;
import java.util.Arrays;

/**
 * Incremental decoding that works for every decoder, the way Hugging Face's {@code DecodeStream} does: decode a small
 * window of recent ids with and without the new id and emit the difference, unless the text ends in U+FFFD (an
 * incomplete UTF-8 sequence). The window keeps the previous token, so rules about the first token (SentencePiece's
 * leading space) apply only at the very start.
 */
final class WindowedStreamingDecoder implements StreamingDecoder {

    private final PipelineTokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private int[] ids = new int[8];
    private int count;
    private String prefix = "";
    private int prefixIndex;

    WindowedStreamingDecoder(PipelineTokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    @Override
    public String push(int id) {
        if (prefix.isEmpty() && count > 0) {
            String candidate = decode(0, count);
            if (!candidate.endsWith("\uFFFD")) {
                prefix = candidate;
                prefixIndex = count;
            }
        }
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = id;
        String text = decode(0, count);
        if (text.length() <= prefix.length() || text.endsWith("\uFFFD")) {
            return "";
        }
        String added = text.startsWith(prefix) ? text.substring(prefix.length()) : text.substring(commonPrefix(text));
        int newPrefixIndex = count - prefixIndex;
        System.arraycopy(ids, prefixIndex, ids, 0, count - prefixIndex);
        count -= prefixIndex;
        prefix = decode(0, count);
        prefixIndex = newPrefixIndex;
        return added;
    }

    @Override
    public String flush() {
        String text = decode(0, count);
        String rest = text.length() > prefix.length() ? text.substring(commonPrefix(text)) : "";
        count = 0;
        prefix = "";
        prefixIndex = 0;
        return rest;
    }

    private int commonPrefix(String text) {
        int n = Math.min(text.length(), prefix.length());
        int i = 0;
        while (i < n && text.charAt(i) == prefix.charAt(i)) {
            i++;
        }
        return i;
    }

    private String decode(int from, int to) {
        return tokenizer.decode(Arrays.copyOfRange(ids, from, to), skipSpecialTokens);
    }
}
