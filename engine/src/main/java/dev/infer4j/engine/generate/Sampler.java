package dev.infer4j.engine.generate;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Picks the next token from a row of logits as {@link SamplingOptions} describe. All working arrays are
 * allocated once per vocabulary size, so sampling allocates nothing per token. Candidates are ordered by
 * packing each (logit, id) into one {@code long} whose natural order is "higher logit first, then lower id",
 * which lets a primitive in-place sort and heap do the ranking without boxing.
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
        float max = maxLogit();
        int n = rank(max);
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

    private float maxLogit() {
        float max = Float.NEGATIVE_INFINITY;
        for (int id = 0; id < vocabSize; id++) {
            max = Math.max(max, work[id]);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalStateException("every token is banned (all logits are -Infinity after the logit bias)");
        }
        return max;
    }

    /**
     * Fills {@code candidates[0 .. n)} with the tokens still allowed, best first (only the best is placed when no
     * later step needs the order). Banned tokens ({@code -Infinity}) are left out; without top-k, tokens below
     * the min-p threshold are left out too (min-p keeps a prefix of the same order, so that is exact), which
     * usually leaves few to sort.
     */
    private int rank(float max) {
        int k = options.topK();
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
            sort(candidates, 0, n);
            return n;
        }
        double threshold = options.minP() > 0f ? max + Math.log(options.minP()) : Double.NEGATIVE_INFINITY;
        for (int id = 0; id < vocabSize; id++) {
            float l = work[id];
            if (l != Float.NEGATIVE_INFINITY && l >= threshold) {
                candidates[n++] = key(l, id);
            }
        }
        if (options.topP() < 1f || options.minP() > 0f) {
            sort(candidates, 0, n);
        } else {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (candidates[i] < candidates[best]) {
                    best = i;
                }
            }
            long b = candidates[best];
            candidates[best] = candidates[0];
            candidates[0] = b;
        }
        return n;
    }

    /** Top-p over the ranked candidates, with probabilities normalised over every token top-k left (llama.cpp's order). */
    private int topP(int n, float max) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.exp(work[idOf(candidates[i])] - max);
            total += weights[i];
        }
        int k = options.topK();
        if ((k == 0 || k >= vocabSize) && options.minP() > 0f) {
            total = 0; // candidates were cut by min-p already: the nucleus is measured against all tokens
            for (int id = 0; id < vocabSize; id++) {
                if (work[id] != Float.NEGATIVE_INFINITY) {
                    total += Math.exp(work[id] - max);
                }
            }
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

    /** Sorts {@code a[from .. to)} ascending in place (quicksort, insertion sort for short runs): no allocation. */
    static void sort(long[] a, int from, int to) {
        while (to - from > 16) {
            int mid = (from + to) >>> 1;
            long x = a[from];
            long y = a[mid];
            long z = a[to - 1];
            long pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z)); // median of three
            int i = from;
            int j = to - 1;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (j - from < to - i) { // recurse into the smaller part, loop on the larger
                sort(a, from, j + 1);
                from = i;
            } else {
                sort(a, i, to);
                to = j + 1;
            }
        }
        for (int i = from + 1; i < to; i++) {
            long v = a[i];
            int j = i - 1;
            while (j >= from && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
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
