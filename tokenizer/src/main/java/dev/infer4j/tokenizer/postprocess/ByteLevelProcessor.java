package dev.infer4j.tokenizer.postprocess;

import java.util.List;
import java.util.function.IntFunction;

/** Hugging Face's {@code ByteLevel} post-processor: only trims offsets (when {@code trimOffsets}). */
public final class ByteLevelProcessor implements PostProcessor {

    private final boolean trimOffsets;
    private final boolean addPrefixSpace;
    private final IntFunction<String> tokenOf;

    public ByteLevelProcessor(boolean trimOffsets, boolean addPrefixSpace, IntFunction<String> tokenOf) {
        this.trimOffsets = trimOffsets;
        this.addPrefixSpace = addPrefixSpace;
        this.tokenOf = tokenOf;
    }

    @Override
    public int addedTokens(boolean pair) {
        return 0;
    }

    /** A single sequence needs no concatenation: trimmed in place (type ids are already 0). */
    @Override
    public TokenSequence process(TokenSequence first, TokenSequence second, boolean addSpecialTokens) {
        if (second != null) {
            return PostProcessor.super.process(first, second, addSpecialTokens);
        }
        if (trimOffsets) {
            OffsetTrimmer.trim(first, addPrefixSpace, tokenOf);
        }
        return first;
    }

    @Override
    public List<TokenSequence> processEncodings(List<TokenSequence> encodings, boolean addSpecialTokens) {
        if (trimOffsets) {
            for (TokenSequence e : encodings) {
                OffsetTrimmer.trim(e, addPrefixSpace, tokenOf);
            }
        }
        return encodings;
    }
}
