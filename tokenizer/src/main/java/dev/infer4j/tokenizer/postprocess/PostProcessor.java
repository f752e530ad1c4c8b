package dev.infer4j.tokenizer.postprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * Adds special tokens and sets type ids once the sequences are tokenized and truncated (Hugging Face's
 * {@code post_processor}). Implementations are immutable and thread-safe.
 */
public interface PostProcessor {

    /** How many tokens {@link #process} adds with special tokens on, for a single sequence or a pair. */
    int addedTokens(boolean pair);

    /**
     * Processes the encodings of one input (one or two sequences), returning the parts to concatenate. The input
     * sequences may be modified.
     */
    List<TokenSequence> processEncodings(List<TokenSequence> encodings, boolean addSpecialTokens);

    /**
     * Hugging Face's {@code PostProcessor::process}: type id {@code i} for sequence {@code i}, then
     * {@link #processEncodings}, then concatenation.
     */
    default TokenSequence process(TokenSequence first, TokenSequence second, boolean addSpecialTokens) {
        List<TokenSequence> encodings = new ArrayList<>(2);
        first.setTypeIds(0);
        encodings.add(first);
        if (second != null) {
            second.setTypeIds(1);
            encodings.add(second);
        }
        return concatenate(processEncodings(encodings, addSpecialTokens));
    }

    /** Concatenates parts as Hugging Face's {@code Encoding::merge}. */
    static TokenSequence concatenate(List<TokenSequence> parts) {
        int n = 0;
        for (TokenSequence p : parts) {
            n += p.size();
        }
        TokenSequence merged = new TokenSequence(n);
        for (TokenSequence p : parts) {
            merged.append(p);
        }
        return merged;
    }
}
