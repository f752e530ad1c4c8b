package dev.infer4j.server;

import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.engine.embed.EmbeddingModelInfo;
import dev.infer4j.engine.embed.EmbeddingResult;
import dev.infer4j.engine.embed.InputTooLongException;
import dev.infer4j.engine.embed.Pooling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for a BERT embedding model, for testing the server's plumbing: one token per word
 * (id from the word's hash) between [CLS]=101 and [SEP]=102, each token a fixed pseudo-random vector, mean pooling,
 * then normalisation and Matryoshka truncation as a real model does them. Calls can be held to fill the queue.
 */
public final class FakeEmbeddingModel implements EmbeddingModel {
    static final int CLS = 101;
    static final int SEP = 102;
    static final int VOCAB = 30522;

    private final String name;
    private final int dimensions;
    private final int maxTokens;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile long delayMillis;
    private volatile Runnable onCall = () -> { };
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();

    public FakeEmbeddingModel(String name, int dimensions, int maxTokens) {
        this.name = name;
        this.dimensions = dimensions;
        this.maxTokens = maxTokens;
    }

    /** Holds every model call until {@link #open()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void open() {
        gate.countDown();
    }

    /** Runs at the start of every model call. */
    public void onCall(Runnable action) {
        onCall = action;
    }

    /** Makes every model call take at least this long. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    @Override
    public EmbeddingModelInfo info() {
        return new EmbeddingModelInfo(name, dimensions, maxTokens, Pooling.MEAN, true);
    }

    @Override
    public int[] tokenize(String text) {
        return tokenize(text, true);
    }

    @Override
    public int[] tokenize(String text, boolean addSpecialTokens) {
        int[] words = words(text);
        if (!addSpecialTokens) {
            return words;
        }
        int[] ids = new int[words.length + 2];
        ids[0] = CLS;
        System.arraycopy(words, 0, ids, 1, words.length);
        ids[ids.length - 1] = SEP;
        return ids;
    }

    private static int[] words(String text) {
        List<Integer> ids = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                ids.add(1000 + Math.floorMod(w.hashCode(), 20000));
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public EmbeddingResult embed(List<String> texts, EmbedOptions options) {
        List<int[]> ids = new ArrayList<>();
        for (String t : texts) {
            ids.add(words(t));
        }
        return embedTokens(ids, options);
    }

    @Override
    public EmbeddingResult embedTokens(List<int[]> tokenIds, EmbedOptions options) {
        calls.incrementAndGet();
        running.incrementAndGet();
        onCall.run();
        try {
            if (!gate.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test gate never opened");
            }
            Thread.sleep(delayMillis);
            int n = tokenIds.size();
            float[][] vectors = new float[n][];
            int[] counts = new int[n];
            boolean[] truncated = new boolean[n];
            for (int i = 0; i < n; i++) {
                int[] ids = tokenIds.get(i);
                for (int id : ids) {
                    if (id < 0 || id >= VOCAB) {
                        throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0 to "
                                + (VOCAB - 1) + ")");
                    }
                }
                int total = ids.length + 2;
                if (total > maxTokens && !options.truncate()) {
                    throw new InputTooLongException(i, total, maxTokens);
                }
                int keep = Math.min(ids.length, maxTokens - 2);
                int from = options.truncateLeft() ? ids.length - keep : 0;
                int[] kept = Arrays.copyOfRange(ids, from, from + keep);
                counts[i] = keep + 2;
                truncated[i] = keep < ids.length;
                vectors[i] = vector(kept, options);
            }
            return new EmbeddingResult(vectors, counts, truncated);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            running.decrementAndGet();
        }
    }

    private float[] vector(int[] words, EmbedOptions options) {
        double[] sum = new double[dimensions];
        int[] all = new int[words.length + 2];
        all[0] = CLS;
        System.arraycopy(words, 0, all, 1, words.length);
        all[all.length - 1] = SEP;
        for (int id : all) {
            SplittableRandom r = new SplittableRandom(id);
            for (int d = 0; d < dimensions; d++) {
                sum[d] += r.nextDouble(-1, 1);
            }
        }
        int dims = options.dimensions() != null ? options.dimensions() : dimensions;
        boolean normalize = options.normalize() != null ? options.normalize() : info().normalize();
        double norm = 0;
        for (int d = 0; d < dims; d++) {
            sum[d] /= all.length;
            norm += sum[d] * sum[d];
        }
        float[] v = new float[dims];
        double scale = normalize || options.dimensions() != null ? 1 / Math.sqrt(norm) : 1;
        for (int d = 0; d < dims; d++) {
            v[d] = (float) (sum[d] * scale);
        }
        return v;
    }

    @Override
    public void close() {
    }
}
