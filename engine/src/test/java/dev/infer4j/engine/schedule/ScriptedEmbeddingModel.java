package dev.infer4j.engine.schedule;

import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.engine.embed.EmbeddingModelInfo;
import dev.infer4j.engine.embed.EmbeddingResult;
import dev.infer4j.engine.embed.InputTooLongException;
import dev.infer4j.engine.embed.Pooling;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test model whose behaviour the batcher tests can see and steer: a token per space-separated word plus two
 * special tokens; the vector of a text is {@code [word count, hash of the text]}; the text "boom" makes any call
 * containing it fail; every call is recorded, and calls can be held until the test releases them.
 */
final class ScriptedEmbeddingModel implements EmbeddingModel {
    static final int MAX_TOKENS = 8;

    final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
    final List<EmbedOptions> callOptions = Collections.synchronizedList(new ArrayList<>());
    private volatile CountDownLatch gate = new CountDownLatch(0);
    volatile long delayMillis;
    final CountDownLatch firstCallStarted = new CountDownLatch(1);

    /** Holds every model call until {@link #open()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    @Override
    public EmbeddingModelInfo info() {
        return new EmbeddingModelInfo("scripted", 2, MAX_TOKENS, Pooling.MEAN, false);
    }

    @Override
    public EmbeddingResult embed(List<String> texts, EmbedOptions options) {
        List<int[]> ids = new ArrayList<>();
        for (String text : texts) {
            if (text.equals("boom")) {
                record(texts, options);
                throw new IllegalArgumentException("boom is not embeddable");
            }
            ids.add(words(text));
        }
        record(texts, options);
        return result(texts, ids, options);
    }

    @Override
    public EmbeddingResult embedTokens(List<int[]> tokenIds, EmbedOptions options) {
        List<String> asTexts = new ArrayList<>();
        for (int[] ids : tokenIds) {
            asTexts.add("#" + ids.length);
        }
        record(asTexts, options);
        return result(asTexts, tokenIds, options);
    }

    private void record(List<String> texts, EmbedOptions options) {
        calls.add(List.copyOf(texts));
        callOptions.add(options);
        firstCallStarted.countDown();
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test gate never opened");
            }
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static EmbeddingResult result(List<String> texts, List<int[]> ids, EmbedOptions options) {
        int n = texts.size();
        float[][] vectors = new float[n][];
        int[] counts = new int[n];
        boolean[] truncated = new boolean[n];
        for (int i = 0; i < n; i++) {
            int tokens = ids.get(i).length + 2;
            if (tokens > MAX_TOKENS && !options.truncate()) {
                throw new InputTooLongException(i, tokens, MAX_TOKENS);
            }
            counts[i] = Math.min(tokens, MAX_TOKENS);
            truncated[i] = tokens > MAX_TOKENS;
            vectors[i] = new float[] {ids.get(i).length, texts.get(i).hashCode()};
        }
        return new EmbeddingResult(vectors, counts, truncated);
    }

    private static int[] words(String text) {
        return text.isBlank() ? new int[0] : new int[text.trim().split(" +").length];
    }

    @Override
    public int[] tokenize(String text) {
        return new int[words(text).length + 2];
    }

    @Override
    public void close() {
    }
}
