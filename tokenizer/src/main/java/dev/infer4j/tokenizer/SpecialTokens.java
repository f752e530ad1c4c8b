package dev.infer4j.tokenizer;

import java.util.OptionalInt;

/**
 * Ids of the well-known special tokens; a component is empty where the vocabulary does not define that role.
 *
 * @param bos beginning of sequence ({@code <s>}, {@code <|begin_of_text|>})
 * @param eos end of sequence ({@code </s>}, {@code <|end_of_text|>})
 * @param eot end of turn, for chat models that distinguish it from EOS ({@code <|eot_id|>}, {@code <|im_end|>})
 * @param pad padding
 * @param unk unknown token of the model
 * @param cls classification token ({@code [CLS]})
 * @param sep separator ({@code [SEP]})
 * @param mask mask token ({@code [MASK]})
 */
public record SpecialTokens(OptionalInt bos, OptionalInt eos, OptionalInt eot, OptionalInt pad, OptionalInt unk,
                            OptionalInt cls, OptionalInt sep, OptionalInt mask) {

    public SpecialTokens {
        bos = orEmpty(bos);
        eos = orEmpty(eos);
        eot = orEmpty(eot);
        pad = orEmpty(pad);
        unk = orEmpty(unk);
        cls = orEmpty(cls);
        sep = orEmpty(sep);
        mask = orEmpty(mask);
    }

    /** No special tokens at all. */
    public static final SpecialTokens NONE = new SpecialTokens(null, null, null, null, null, null, null, null);

    private static OptionalInt orEmpty(OptionalInt value) {
        return value == null ? OptionalInt.empty() : value;
    }
}
