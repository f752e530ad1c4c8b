package dev.infer4j.engine.generate;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Picks the next token from a row of logits as {@link SamplingOptions} describe. All working arrays are
 * allocated once per vocabulary size, so sampling allocates nothing per token. Candidates are ordered by
 * packing each (logit, id) into one {@code long} whose natural order is "higher logit first, then lower id",
 * which lets plain {@link Arrays#sort(long[], int, int)} and a primitive heap do the ranking without boxing.
 *
 * <p>Not thread-safe: one sampler per generation stream.
 */
public final class Sampler {
    private final int vocabSize;
    private final float[] work;
    private final long[] candidates;
    private final double[] weights;
    private final int[] counts;
    private SamplingOptions options;
    private int[] biasIds = new int[0];
    private float[] biasValues = new float[0];
    private SplittableRandom random;

    public Sampler(int vocabSize, SamplingOptions options) {
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("vocabulary size must be positive, got " + vocabSize);
        }
        this.vocabSize = vocabSize;
        this.work = new float[vocabSize];
        this.candidates = new long[vocabSize];
        this.weights = new double[vocabSize];
        this.counts = new int[vocabSize];
        reset(options);
    }

    /** Starts over with new options; the random generator is re-seeded from {@code options.seed()}. */
    public void reset(SamplingOptions options) {
        Map<Integer, Float> bias = options.logitBias();
        int[] ids = new int[bias.size()];
        float[] values = new float[bias.size()];
        int i = 0;
        for (Map.Entry<Integer, Float> e : bias.entrySet()) {
            if (e.getKey() >= vocabSize) {
                throw new IllegalArgumentException("logit bias names token " + e.getKey()
                        + ", outside the vocabulary of " + vocabSize);
            }
            ids[i] = e.getKey();
            values[i++] = e.getValue();
        }
        this.options = options;
        this.biasIds = ids;
        this.biasValues = values;
        this.random = new SplittableRandom(options.seed());
    }

    public SamplingOptions options() {
        return options;
    }

    /**
     * The next token for {@code logits} ({@code vocabSize} values, not modified), given the tokens so far
     * ({@code history[0 .. historyLength)}, prompt included) for the penalties.
     */
    public int sample(float[] logits, int[] history, int historyLength) {
        System.arraycopy(logits, 0, work, 0, vocabSize);
        for (int i = 0; i < biasIds.length; i++) {
            work[biasIds[i]] += biasValues[i];
        }
        applyPenalties(history, historyLength);
        if (options.isGreedy()) {
            int best = argmax(work);
            if (work[best] == Float.NEGATIVE_INFINITY) {
                throw new IllegalStateException("every token is banned (all logits are -Infinity after the logit bias)");
            }
            return best;
        }
        int n = rank();
        float max = work[idOf(candidates[0])];
        if (options.topP() < 1f && n > 1) {
            n = topP(n, max);
        }
        if (options.minP() > 0f && n > 1) {
            n = minP(n, max);
        }
        return draw(n, max);
    }

    private void applyPenalties(int[] history, int historyLength) {
        SamplingOptions o = options;
        boolean any = o.repeatPenalty() != 1f || o.presencePenalty() != 0f || o.frequencyPenalty() != 0f;
        int from = Math.max(0, historyLength - o.penaltyLastN());
        if (!any || from >= historyLength) {
            return;
        }
        for (int i = from; i < historyLength; i++) {
            counts[history[i]]++;
        }
        for (int i = from; i < historyLength; i++) {
            int t = history[i];
            int count = counts[t];
            if (count == 0) {
                continue; // already penalised
            }
            counts[t] = 0;
            float l = work[t];
            if (o.repeatPenalty() != 1f) {
                l = l <= 0 ? l * o.repeatPenalty() : l / o.repeatPenalty();
            }
            work[t] = l - count * o.frequencyPenalty() - o.presencePenalty();
        }
    }

    /** Highest logit, ties to the lower id. */
    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Fills {@code candidates[0 .. n)} with the tokens still allowed, best first when an ordering step needs it.
     * Banned tokens ({@code -Infinity}) are left out.
     */
    private int rank() {
        int k = options.topK();
        boolean needOrder = options.topP() < 1f || options.minP() > 0f;
        int n = 0;
        if (k > 0 && k < vocabSize) {
            for (int id = 0; id < vocabSize; id++) {
                if (work[id] == Float.NEGATIVE_INFINITY) {
                    continue;
                }
                long key = key(work[id], id);
                if (n < k) {
                    candidates[n] = key;
                    siftUp(n++);
                } else if (key < candidates[0]) {
                    candidates[0] = key;
                    siftDown(k);
                }
            }
            Arrays.sort(candidates, 0, n);
        } else {
            for (int id = 0; id < vocabSize; id++) {
                if (work[id] != Float.NEGATIVE_INFINITY) {
                    candidates[n++] = key(work[id], id);
                }
            }
            if (needOrder) {
                Arrays.sort(candidates, 0, n);
            } else {
                long best = Long.MAX_VALUE;
                int at = 0;
                for (int i = 0; i < n; i++) {
                    if (candidates[i] < best) {
                        best = candidates[i];
                        at = i;
                    }
                }
                if (n > 0) { // the best first: draw() reads the maximum logit from candidates[0]
                    candidates[at] = candidates[0];
                    candidates[0] = best;
                }
            }
        }
        if (n == 0) {
            throw new IllegalStateException("every token is banned (all logits are -Infinity after the logit bias)");
        }
        return n;
    }

    private int topP(int n, float max) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.exp(work[idOf(candidates[i])] - max);
            total += weights[i];
        }
        double needed = options.topP() * total;
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += weights[i];
            if (cumulative >= needed) {
                return i + 1;
            }
        }
        return n;
    }

    private int minP(int n, float max) {
        double threshold = max + Math.log(options.minP());
        int kept = 1;
        while (kept < n && work[idOf(candidates[kept])] >= threshold) {
            kept++;
        }
        return kept;
    }

    private int draw(int n, float max) {
        double invT = 1.0 / options.temperature();
        double total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.exp((work[idOf(candidates[i])] - max) * invT);
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return idOf(candidates[i]);
            }
        }
        return idOf(candidates[n - 1]);
    }

    /** Orders by logit descending, then id ascending, as a signed {@code long}. */
    static long key(float logit, int id) {
        int bits = Float.floatToRawIntBits(logit);
        int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~sortable << 32) | (id & 0xffffffffL);
    }

    static int idOf(long key) {
        return (int) key;
    }

    /** Max-heap on keys (the root is the worst kept candidate). */
    private void siftUp(int i) {
        long v = candidates[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (candidates[parent] >= v) {
                break;
            }
            candidates[i] = candidates[parent];
            i = parent;
        }
        candidates[i] = v;
    }

    private void siftDown(int size) {
        long v = candidates[0];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && candidates[child + 1] > candidates[child]) {
                child++;
            }
            if (candidates[child] <= v) {
                break;
            }
            candidates[i] = candidates[child];
            i = child;
        }
        candidates[i] = v;
    }
}
