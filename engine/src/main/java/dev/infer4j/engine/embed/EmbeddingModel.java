package dev.infer4j.engine.embed;

import java.util.List;

/**
 * A loaded text-embedding model (BERT family): tokenizes, runs the encoder, pools, and normalises.
 * Thread-safe: concurrent calls are allowed (implementations may serialize the forward pass).
 */
public interface EmbeddingModel extends AutoCloseable {

    /** What the model is: name, output dimensions, maximum input length, pooling. */
    EmbeddingModelInfo info();

    /** Embeds texts; one vector per text, in input order. */
    EmbeddingResult embed(List<String> texts, EmbedOptions options);

    /** Embeds already-tokenized inputs (ids without special tokens; they are added as the model's post-processor does). */
    EmbeddingResult embedTokens(List<int[]> tokenIds, EmbedOptions options);

    /** Token ids of {@code text} with special tokens, as the model would see it (no truncation). */
    int[] tokenize(String text);

    /**
     * Token ids of {@code text} (no truncation), with or without the special tokens the model adds around an input
     * (the server's {@code /tokenize} offers both). Models that can tokenize without special tokens override this.
     *
     * @throws UnsupportedOperationException when {@code addSpecialTokens} is false and the model cannot do that
     */
    default int[] tokenize(String text, boolean addSpecialTokens) {
        if (addSpecialTokens) {
            return tokenize(text);
        }
        throw new UnsupportedOperationException(info().name() + " cannot tokenize without special tokens");
    }

    @Override
    void close();
}
