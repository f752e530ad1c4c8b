package dev.infer4j.tokenizer.pipeline;

import dev.infer4j.tokenizer.Encoding;
import dev.infer4j.tokenizer.Padding;
import dev.infer4j.tokenizer.SpecialTokens;
import dev.infer4j.tokenizer.StreamingDecoder;
import dev.infer4j.tokenizer.Tokenizer;
import dev.infer4j.tokenizer.Truncation;
import dev.infer4j.tokenizer.model.Vocabulary;
import dev.infer4j.tokenizer.postprocess.PostProcessor;
import dev.infer4j.tokenizer.postprocess.TokenSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A {@link Tokenizer} running a {@link Pipeline}, with truncation and padding as Hugging Face applies them. */
public final class PipelineTokenizer implements Tokenizer {

    private final Pipeline pipeline;
    private final Truncation truncation;
    private final Padding padding;
    private final SequenceEncoder encoder;
    private final int vocabSize;

    public PipelineTokenizer(Pipeline pipeline, Truncation truncation, Padding padding) {
        this.pipeline = Objects.requireNonNull(pipeline);
        this.truncation = truncation;
        this.padding = padding;
        this.encoder = new SequenceEncoder(pipeline);
        int size = pipeline.model().vocabulary().size();
        for (AddedToken t : pipeline.addedVocabulary().tokens()) {
            size = Math.max(size, t.id() + 1);
        }
        this.vocabSize = size;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        Objects.requireNonNull(text, "text");
        return finish(encoder.encode(text, 0), null, addSpecialTokens).toEncoding();
    }

    @Override
    public Encoding encodePair(String first, String second, boolean addSpecialTokens) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        return finish(encoder.encode(first, 0), encoder.encode(second, 1), addSpecialTokens).toEncoding();
    }

    @Override
    public List<Encoding> encodeBatch(List<String> texts, boolean addSpecialTokens) {
        TokenSequence[] out = new TokenSequence[texts.size()];
        ParallelLoop.run(texts.size(), i -> out[i] = finish(encoder.encode(texts.get(i), 0), null, addSpecialTokens));
        return padBatch(out);
    }

    @Override
    public List<Encoding> encodePairBatch(List<String> firsts, List<String> seconds, boolean addSpecialTokens) {
        if (firsts.size() != seconds.size()) {
            throw new IllegalArgumentException("pair batch sizes differ: " + firsts.size() + " firsts, "
                    + seconds.size() + " seconds");
        }
        TokenSequence[] out = new TokenSequence[firsts.size()];
        ParallelLoop.run(firsts.size(), i -> out[i] = finish(encoder.encode(firsts.get(i), 0),
                encoder.encode(seconds.get(i), 1), addSpecialTokens));
        return padBatch(out);
    }

    /** Truncation, post-processing and padding (Hugging Face's {@code post_process}). */
    private TokenSequence finish(TokenSequence first, TokenSequence second, boolean addSpecialTokens) {
        PostProcessor processor = pipeline.postProcessor();
        if (truncation != null) {
            int added = addSpecialTokens && processor != null ? processor.addedTokens(second != null) : 0;
            if (added > truncation.maxLength()) {
                throw new IllegalArgumentException("truncation max length " + truncation.maxLength()
                        + " is shorter than the " + added + " special tokens the post-processor adds");
            }
            Truncator.truncate(first, second, truncation, truncation.maxLength() - added);
        }
        TokenSequence merged;
        if (processor != null) {
            merged = processor.process(first, second, addSpecialTokens);
        } else if (second != null) {
            merged = PostProcessor.concatenate(List.of(first, second));
        } else {
            merged = first;
        }
        if (padding != null) {
            merged.pad(paddedLength(merged.size()), padding.padId(), padding.padTypeId(),
                    padding.direction() == Padding.Direction.LEFT);
        }
        return merged;
    }

    private int paddedLength(int longest) {
        int length = padding.isBatchLongest() ? longest : padding.fixedLength();
        int multiple = padding.padToMultipleOf();
        if (multiple > 0 && length % multiple != 0) {
            length += multiple - length % multiple;
        }
        return length;
    }

    private List<Encoding> padBatch(TokenSequence[] batch) {
        if (padding != null && padding.isBatchLongest()) {
            int longest = 0;
            for (TokenSequence s : batch) {
                longest = Math.max(longest, s.size());
            }
            int length = paddedLength(longest);
            for (TokenSequence s : batch) {
                s.pad(length, padding.padId(), padding.padTypeId(), padding.direction() == Padding.Direction.LEFT);
            }
        }
        List<Encoding> result = new ArrayList<>(batch.length);
        for (TokenSequence s : batch) {
            result.add(s.toEncoding());
        }
        return result;
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            String token = tokenForDecoding(id, skipSpecialTokens);
            if (token != null) {
                tokens.add(token);
            }
        }
        return pipeline.decoder() != null ? pipeline.decoder().decode(tokens) : String.join(" ", tokens);
    }

    /** The string decode uses for an id, or null when the id is skipped (unknown, or special when skipping). */
    String tokenForDecoding(int id, boolean skipSpecialTokens) {
        // an added token decodes to its content as written (not normalized), as in Hugging Face tokenizers 0.21
        AddedToken added = pipeline.addedVocabulary().byId(id);
        String token = added != null ? added.content() : pipeline.model().vocabulary().token(id);
        if (token == null || (skipSpecialTokens && isSpecialToken(token))) {
            return null;
        }
        return token;
    }

    private boolean isSpecialToken(String token) {
        int id = pipeline.addedVocabulary().idOf(token);
        if (id < 0) {
            return false;
        }
        AddedToken t = pipeline.addedVocabulary().byId(id);
        return t != null && t.special();
    }

    @Override
    public StreamingDecoder streamingDecoder(boolean skipSpecialTokens) {
        return new WindowedStreamingDecoder(this, skipSpecialTokens);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int tokenToId(String token) {
        int id = pipeline.addedVocabulary().idOf(token);
        return id >= 0 ? id : pipeline.model().vocabulary().id(token);
    }

    @Override
    public String idToToken(int id) {
        AddedToken t = pipeline.addedVocabulary().byId(id);
        if (t != null) {
            return t.content();
        }
        Vocabulary v = pipeline.model().vocabulary();
        return v.token(id);
    }

    @Override
    public boolean isSpecial(int id) {
        AddedToken t = pipeline.addedVocabulary().byId(id);
        return t != null && t.special();
    }

    @Override
    public SpecialTokens specialTokens() {
        return pipeline.specialTokens();
    }

    @Override
    public Truncation truncation() {
        return truncation;
    }

    @Override
    public Padding padding() {
        return padding;
    }

    @Override
    public Tokenizer withTruncation(Truncation newTruncation) {
        return new PipelineTokenizer(pipeline, Objects.requireNonNull(newTruncation), padding);
    }

    @Override
    public Tokenizer withoutTruncation() {
        return new PipelineTokenizer(pipeline, null, padding);
    }

    @Override
    public Tokenizer withPadding(Padding newPadding) {
        return new PipelineTokenizer(pipeline, truncation, Objects.requireNonNull(newPadding));
    }

    @Override
    public Tokenizer withoutPadding() {
        return new PipelineTokenizer(pipeline, truncation, null);
    }
}
