package dev.infer4j.server.model;

import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.engine.embed.EmbeddingModelInfo;
import dev.infer4j.engine.embed.EmbeddingResult;
import dev.infer4j.engine.schedule.EmbeddingBatcher;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** An embedding model being served: the model, its request batcher, and the id clients call it by. */
public final class ServedEmbeddingModel implements AutoCloseable {
    private final String id;
    private final EmbeddingModel model;
    private final EmbeddingBatcher batcher;
    private final long createdEpochSeconds = System.currentTimeMillis() / 1000;

    public ServedEmbeddingModel(String id, EmbeddingModel model, EmbeddingBatcher batcher) {
        this.id = id;
        this.model = model;
        this.batcher = batcher;
    }

    public String id() {
        return id;
    }

    public EmbeddingModelInfo info() {
        return model.info();
    }

    public long createdEpochSeconds() {
        return createdEpochSeconds;
    }

    public int queueLength() {
        return batcher.queueLength();
    }

    /** Queues a request on the batcher; rejections (queue full, input too long) are thrown at once. */
    public CompletableFuture<EmbeddingResult> submit(EmbeddingInputs inputs, EmbedOptions options) {
        return switch (inputs) {
            case EmbeddingInputs.Texts t -> batcher.embed(t.texts(), options);
            case EmbeddingInputs.TokenIds ids -> batcher.embedTokens(ids.ids(), options);
        };
    }

    /** Token ids of a text as the model sees it (no truncation). */
    public int[] tokenize(String text, boolean addSpecialTokens) {
        return model.tokenize(text, addSpecialTokens);
    }

    /** Lets queued and running requests finish, up to {@code grace}. */
    boolean drain(Duration grace) throws InterruptedException {
        return batcher.drain(grace);
    }

    @Override
    public void close() {
        batcher.close();
        model.close();
    }
}
