package dev.infer4j.tokenizer.testing;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Hugging Face tokenizers (Rust, through DJL's JNI binding; the native library ships inside the DJL jar, so this
 * works offline) as the reference implementation.
 */
public final class HfReference implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;

    /**
     * @param options DJL options, e.g. {@code truncation} ("false", "longest_first", "only_first", "only_second"),
     *                {@code maxLength}, {@code stride}, {@code padding} ("false", "longest", "max_length")
     */
    public HfReference(byte[] tokenizerJson, Map<String, String> options) {
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Version string of the bundled Hugging Face tokenizers. */
    public String version() {
        return tokenizer.getVersion();
    }

    public Encoding encode(String text, boolean addSpecialTokens, boolean withOverflowing) {
        return tokenizer.encode(text, addSpecialTokens, withOverflowing);
    }

    public Encoding encodePair(String a, String b, boolean addSpecialTokens, boolean withOverflowing) {
        return tokenizer.encode(a, b, addSpecialTokens, withOverflowing);
    }

    /** Encodes a batch (padded to its longest encoding when the padding option is on). */
    public Encoding[] encodeBatch(java.util.List<String> texts, boolean addSpecialTokens) {
        return tokenizer.batchEncode(texts, addSpecialTokens, false);
    }

    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, skipSpecialTokens);
    }

    /**
     * DJL's char spans count code points; converted here to UTF-16 offsets into {@code text}. A missing span (special
     * token) becomes (0, 0).
     */
    public static int[][] utf16Offsets(Encoding e, String text) {
        CharSpan[] spans = e.getCharTokenSpans();
        int[] starts = new int[spans.length];
        int[] ends = new int[spans.length];
        int cpCount = text.codePointCount(0, text.length());
        for (int i = 0; i < spans.length; i++) {
            if (spans[i] == null) {
                continue;
            }
            starts[i] = text.offsetByCodePoints(0, Math.min(spans[i].getStart(), cpCount));
            ends[i] = text.offsetByCodePoints(0, Math.min(spans[i].getEnd(), cpCount));
        }
        return new int[][] {starts, ends};
    }

    public static int[] ints(long[] values) {
        int[] r = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            r[i] = Math.toIntExact(values[i]);
        }
        return r;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
