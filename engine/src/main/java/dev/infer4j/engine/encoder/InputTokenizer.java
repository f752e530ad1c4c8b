package dev.infer4j.engine.encoder;

import dev.infer4j.engine.embed.InputTooLongException;
import dev.infer4j.tokenizer.Encoding;
import dev.infer4j.tokenizer.Tokenizer;
import dev.infer4j.tokenizer.Truncation;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizes encoder inputs the way sentence-transformers does: the model's own {@code tokenizer.json}
 * with its fixed padding and built-in truncation replaced by the model's maximum length (the jars ship
 * tokenizers padded and cut to 128 although the models take 256 or 512). Over-long inputs are cut
 * (right or left) and flagged, or rejected with {@link InputTooLongException} when truncation is off.
 */
public final class InputTokenizer {
    private final Tokenizer whole;
    private final Tokenizer cutRight;
    private final Tokenizer cutLeft;
    private final int maxTokens;
    private final int cls;
    private final int sep;

    public InputTokenizer(Tokenizer tokenizer, int maxTokens) {
        this.whole = tokenizer.withoutPadding().withoutTruncation();
        this.cutRight = whole.withTruncation(new Truncation(maxTokens, Truncation.Strategy.LONGEST_FIRST,
                Truncation.Direction.RIGHT, 0));
        this.cutLeft = whole.withTruncation(new Truncation(maxTokens, Truncation.Strategy.LONGEST_FIRST,
                Truncation.Direction.LEFT, 0));
        this.maxTokens = maxTokens;
        this.cls = tokenizer.specialTokens().cls().orElse(-1);
        this.sep = tokenizer.specialTokens().sep().orElse(-1);
    }

    /** The tokenizer without truncation or padding. */
    public Tokenizer tokenizer() {
        return whole;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** Texts with special tokens, cut to the maximum when {@code truncate}, else rejected when too long. */
    public List<TokenizedInput> texts(List<String> texts, boolean truncate, boolean fromLeft) {
        List<Encoding> encodings = whole.encodeBatch(texts, true);
        List<TokenizedInput> result = new ArrayList<>(encodings.size());
        for (int i = 0; i < encodings.size(); i++) {
            Encoding e = encodings.get(i);
            if (e.length() > maxTokens) {
                if (!truncate) {
                    throw new InputTooLongException(i, e.length(), maxTokens);
                }
                // re-encode with the tokenizer's own truncation so special tokens stay in place
                e = (fromLeft ? cutLeft : cutRight).encode(texts.get(i), true);
                result.add(new TokenizedInput(e.ids(), e.typeIds(), true));
            } else {
                result.add(new TokenizedInput(e.ids(), e.typeIds(), false));
            }
        }
        return result;
    }

    /** Pairs (e.g. query and document) as {@code [CLS] a [SEP] b [SEP]}, the longer side cut first. */
    public List<TokenizedInput> pairs(List<String> firsts, List<String> seconds, boolean truncate) {
        List<Encoding> encodings = whole.encodePairBatch(firsts, seconds, true);
        List<TokenizedInput> result = new ArrayList<>(encodings.size());
        for (int i = 0; i < encodings.size(); i++) {
            Encoding e = encodings.get(i);
            boolean cut = e.length() > maxTokens;
            if (cut) {
                if (!truncate) {
                    throw new InputTooLongException(i, e.length(), maxTokens);
                }
                e = cutRight.encodePair(firsts.get(i), seconds.get(i), true);
            }
            result.add(new TokenizedInput(e.ids(), e.typeIds(), cut));
        }
        return result;
    }

    /**
     * Already-tokenized inputs (ids without special tokens) wrapped in {@code [CLS] … [SEP]}, as the
     * BERT post-processor does; ids beyond the maximum are cut or rejected.
     */
    public List<TokenizedInput> tokenIds(List<int[]> ids, boolean truncate, boolean fromLeft) {
        if (cls < 0 || sep < 0) {
            throw new IllegalStateException("the tokenizer defines no [CLS]/[SEP] tokens to wrap token ids in");
        }
        List<TokenizedInput> result = new ArrayList<>(ids.size());
        int room = maxTokens - 2;
        for (int i = 0; i < ids.size(); i++) {
            int[] content = ids.get(i);
            boolean cut = content.length > room;
            if (cut && !truncate) {
                throw new InputTooLongException(i, content.length + 2, maxTokens);
            }
            int keep = Math.min(content.length, room);
            int[] full = new int[keep + 2];
            full[0] = cls;
            System.arraycopy(content, fromLeft ? content.length - keep : 0, full, 1, keep);
            full[keep + 1] = sep;
            result.add(new TokenizedInput(full, new int[full.length], cut));
        }
        return result;
    }
}
