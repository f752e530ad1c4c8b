package dev.infer4j.tokenizer.postprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Hugging Face's {@code RobertaProcessing}: {@code <s> A </s>} and {@code <s> A </s> </s> B </s>}, every type id 0,
 * byte-level offsets trimmed when {@code trimOffsets}.
 */
public final class RobertaProcessor implements PostProcessor {

    private final int clsId;
    private final int sepId;
    private final boolean trimOffsets;
    private final boolean addPrefixSpace;
    private final IntFunction<String> tokenOf;

    public RobertaProcessor(int clsId, int sepId, boolean trimOffsets, boolean addPrefixSpace,
                            IntFunction<String> tokenOf) {
        this.clsId = clsId;
        this.sepId = sepId;
        this.trimOffsets = trimOffsets;
        this.addPrefixSpace = addPrefixSpace;
        this.tokenOf = tokenOf;
    }

    @Override
    public int addedTokens(boolean pair) {
        return pair ? 4 : 2;
    }

    @Override
    public List<TokenSequence> processEncodings(List<TokenSequence> encodings, boolean addSpecialTokens) {
        for (TokenSequence e : encodings) {
            if (trimOffsets) {
                OffsetTrimmer.trim(e, addPrefixSpace, tokenOf);
            }
            e.setTypeIds(0);
            for (TokenSequence piece : e.overflowing()) {
                piece.setTypeIds(0);
            }
        }
        if (!addSpecialTokens) {
            return encodings;
        }
        List<TokenSequence> parts = new ArrayList<>();
        parts.add(TokenSequence.ofSpecial(new int[] {clsId}, 0));
        parts.add(encodings.get(0));
        parts.add(TokenSequence.ofSpecial(new int[] {sepId}, 0));
        if (encodings.size() == 2) {
            parts.add(TokenSequence.ofSpecial(new int[] {sepId}, 0));
            parts.add(encodings.get(1));
            parts.add(TokenSequence.ofSpecial(new int[] {sepId}, 0));
        }
        return parts;
    }
}
