package dev.infer4j.tokenizer.pipeline;

import dev.infer4j.tokenizer.SpecialTokens;
import dev.infer4j.tokenizer.decode.Decoder;
import dev.infer4j.tokenizer.model.TokenModel;
import dev.infer4j.tokenizer.normalize.Normalizer;
import dev.infer4j.tokenizer.postprocess.PostProcessor;
import dev.infer4j.tokenizer.pretokenize.PreTokenizer;

/**
 * The components of a tokenizer, in the order text flows through them. {@code normalizer}, {@code preTokenizer},
 * {@code postProcessor} and {@code decoder} may be null (step skipped, or tokens joined with spaces for decoding).
 *
 * @param specialTokens ids of the well-known roles, for {@link dev.infer4j.tokenizer.Tokenizer#specialTokens()}
 */
public record Pipeline(Normalizer normalizer, PreTokenizer preTokenizer, TokenModel model,
                       PostProcessor postProcessor, Decoder decoder, AddedVocabulary addedVocabulary,
                       SpecialTokens specialTokens) {

    public Pipeline {
        if (model == null || addedVocabulary == null || specialTokens == null) {
            throw new IllegalArgumentException("a pipeline needs a model, an added vocabulary and special tokens");
        }
    }
}
