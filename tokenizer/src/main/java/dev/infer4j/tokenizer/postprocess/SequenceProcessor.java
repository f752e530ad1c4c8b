package dev.infer4j.tokenizer.postprocess;

import java.util.List;

/** Hugging Face's {@code Sequence} post-processor: each processor in turn on the parts the previous one returned. */
public final class SequenceProcessor implements PostProcessor {

    private final List<PostProcessor> processors;

    public SequenceProcessor(List<PostProcessor> processors) {
        this.processors = List.copyOf(processors);
    }

    @Override
    public int addedTokens(boolean pair) {
        int n = 0;
        for (PostProcessor p : processors) {
            n += p.addedTokens(pair);
        }
        return n;
    }

    @Override
    public List<TokenSequence> processEncodings(List<TokenSequence> encodings, boolean addSpecialTokens) {
        List<TokenSequence> parts = encodings;
        for (PostProcessor p : processors) {
            parts = p.processEncodings(parts, addSpecialTokens);
        }
        return parts;
    }
}
