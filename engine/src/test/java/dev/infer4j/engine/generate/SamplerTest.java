package dev.infer4j.engine.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final int[] NO_HISTORY = new int[0];

    /** Logits whose softmax is exactly {@code probs} (up to rounding). */
    private static float[] logitsOf(double... probs) {
        float[] l = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            l[i] = (float) Math.log(probs[i]);
        }
        return l;
    }

    private static int[] histogram(Sampler s, float[] logits, int draws) {
        int[] h = new int[logits.length];
        for (int i = 0; i < draws; i++) {
            h[s.sample(logits, NO_HISTORY, 0)]++;
        }
        return h;
    }

    private static SamplingOptions plain(float temperature, long seed) {
        return new SamplingOptions(temperature, 0, 1f, 0f, 1f, 0f, 0f, 64, Map.of(), seed);
    }

    @Test
    void greedyTakesTheHighestLogitAndTheLowerIdOnTies() {
        Sampler s = new Sampler(5, SamplingOptions.greedy());
        assertEquals(3, s.sample(new float[] {0, 1, 2, 5, -1}, NO_HISTORY, 0));
        assertEquals(1, s.sample(new float[] {0, 4, 2, 4, 4}, NO_HISTORY, 0));
        assertEquals(0, s.sample(new float[] {-2, -3, -2, -9, -9}, NO_HISTORY, 0));
    }

    @Test
    void sameSeedSameTokensDifferentSeedDifferentTokens() {
        float[] logits = new float[200];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) r.nextGaussian();
        }
        int[] a = draws(new Sampler(200, SamplingOptions.defaults(1234).withTopK(0).withMinP(0f)), logits);
        int[] b = draws(new Sampler(200, SamplingOptions.defaults(1234).withTopK(0).withMinP(0f)), logits);
        int[] c = draws(new Sampler(200, SamplingOptions.defaults(99).withTopK(0).withMinP(0f)), logits);
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
        Sampler again = new Sampler(200, SamplingOptions.defaults(5));
        int[] first = draws(again, logits);
        again.reset(SamplingOptions.defaults(5));
        assertArrayEquals(first, draws(again, logits), "reset re-seeds");
    }

    private static int[] draws(Sampler s, float[] logits) {
        int[] out = new int[64];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.sample(logits, NO_HISTORY, 0);
        }
        return out;
    }

    @Test
    void temperatureOneSamplesTheSoftmaxDistribution() {
        double[] p = {0.4, 0.3, 0.2, 0.1};
        int n = 40_000;
        int[] h = histogram(new Sampler(4, plain(1f, 3)), logitsOf(p), n);
        for (int i = 0; i < p.length; i++) {
            double sd = Math.sqrt(n * p[i] * (1 - p[i]));
            assertEquals(n * p[i], h[i], 5 * sd, "token " + i + " histogram " + Arrays.toString(h));
        }
    }

    @Test
    void lowTemperatureSharpensHighTemperatureFlattens() {
        float[] l = logitsOf(0.4, 0.3, 0.2, 0.1);
        int[] cold = histogram(new Sampler(4, plain(0.1f, 3)), l, 5000);
        int[] hot = histogram(new Sampler(4, plain(10f, 3)), l, 5000);
        // p^(1/T): 0.4^10 / 0.3^10 = 17.8, so token 0 takes 94.7 %
        assertEquals(5000 * 0.947, cold[0], 60, Arrays.toString(cold));
        assertTrue(hot[3] > 1000, Arrays.toString(hot));
    }

    @Test
    void topKKeepsOnlyTheKBest() {
        float[] l = new float[100];
        for (int i = 0; i < l.length; i++) {
            l[i] = (i * 37 % 100) / 10f; // a permutation of 0.0 .. 9.9
        }
        int[] h = histogram(new Sampler(100, plain(50f, 11).withTopK(5)), l, 20_000);
        int[] best = {27, 54, 81, 8, 35}; // ids with i*37 % 100 = 99, 98, 97, 96, 95
        int inBest = 0;
        for (int id : best) {
            assertTrue(h[id] > 0, "every one of the top 5 is drawn");
            inBest += h[id];
        }
        assertEquals(20_000, inBest, "nothing outside the top 5: " + Arrays.toString(h));
    }

    @Test
    void topKBreaksTiesTowardsLowerIds() {
        float[] l = {1, 3, 3, 3, 0};
        int[] h = histogram(new Sampler(5, plain(1f, 2).withTopK(2)), l, 2000);
        assertEquals(0, h[3]);
        assertTrue(h[1] > 0 && h[2] > 0);
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        float[] l = logitsOf(0.5, 0.3, 0.15, 0.05);
        int[] h = histogram(new Sampler(4, plain(1f, 5).withTopP(0.75f)), l, 10_000);
        assertEquals(0, h[2] + h[3], Arrays.toString(h));
        assertEquals(10_000 * 0.5 / 0.8, h[0], 300);
        int[] one = histogram(new Sampler(4, plain(1f, 5).withTopP(0.3f)), l, 1000);
        assertEquals(1000, one[0], "the best token alone already covers p");
    }

    @Test
    void minPDropsTokensFarBelowTheBest() {
        float[] l = logitsOf(0.5, 0.3, 0.15, 0.05);
        int[] h = histogram(new Sampler(4, plain(1f, 5).withMinP(0.35f)), l, 10_000);
        assertEquals(0, h[2] + h[3], "0.15 < 0.35 * 0.5: " + Arrays.toString(h));
        assertTrue(h[1] > 3000);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        Sampler s = new Sampler(4, SamplingOptions.greedy().withPenalties(2f, 0f, 0f, 64));
        assertEquals(1, s.sample(new float[] {3f, 2f, 0f, 0f}, new int[] {0}, 1), "3/2 = 1.5 < 2");
        assertEquals(0, s.sample(new float[] {-1f, -1.5f, -3f, -4f}, new int[] {1}, 1), "-1.5*2 = -3");
        assertEquals(1, s.sample(new float[] {-1f, -1.5f, -3f, -4f}, new int[] {0}, 1), "-1*2 = -2 < -1.5");
        assertEquals(0, s.sample(new float[] {3f, 2f, 0f, 0f}, new int[] {2, 0}, 1), "only history[0 .. 1) counts");
        Sampler window = new Sampler(4, SamplingOptions.greedy().withPenalties(2f, 0f, 0f, 1));
        assertEquals(0, window.sample(new float[] {3f, 2f, 0f, 0f}, new int[] {0, 3}, 2), "token 0 is outside the last-1 window");
    }

    @Test
    void presenceAndFrequencyPenaltiesSubtract() {
        Sampler presence = new Sampler(3, SamplingOptions.greedy().withPenalties(1f, 1.5f, 0f, 64));
        assertEquals(1, presence.sample(new float[] {3f, 2f, 0f}, new int[] {0, 0, 0}, 3), "3 - 1.5 < 2");
        Sampler frequency = new Sampler(3, SamplingOptions.greedy().withPenalties(1f, 0f, 0.4f, 64));
        assertEquals(0, frequency.sample(new float[] {3f, 2f, 0f}, new int[] {0, 0}, 2), "3 - 0.8 > 2");
        assertEquals(1, frequency.sample(new float[] {3f, 2f, 0f}, new int[] {0, 0, 0}, 3), "3 - 1.2 < 2");
    }

    @Test
    void logitBiasAddsAndBans() {
        Sampler s = new Sampler(3, SamplingOptions.greedy().withLogitBias(Map.of(2, 5f, 0, Float.NEGATIVE_INFINITY)));
        assertEquals(2, s.sample(new float[] {9f, 1f, 0f}, NO_HISTORY, 0));
        Sampler ban = new Sampler(3, plain(1f, 1).withLogitBias(Map.of(0, Float.NEGATIVE_INFINITY)));
        int[] h = histogram(ban, new float[] {9f, 0f, 0f}, 1000);
        assertEquals(0, h[0]);
        Sampler all = new Sampler(2, plain(1f, 1).withLogitBias(
                Map.of(0, Float.NEGATIVE_INFINITY, 1, Float.NEGATIVE_INFINITY)));
        assertThrows(IllegalStateException.class, () -> all.sample(new float[] {1, 2}, NO_HISTORY, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Sampler(3, SamplingOptions.greedy().withLogitBias(Map.of(3, 1f))));
    }

    @Test
    void impossibleOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.greedy().withTemperature(-1));
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.greedy().withTemperature(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.greedy().withTopK(-1));
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.greedy().withTopP(0f));
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.greedy().withTopP(1.5f));
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.greedy().withMinP(1f));
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.greedy().withPenalties(0f, 0f, 0f, 64));
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.greedy().withPenalties(1f, 0f, 0f, -1));
        assertThrows(IllegalArgumentException.class, () -> SamplingOptions.greedy().withLogitBias(Map.of(-1, 1f)));
    }

    @Test
    void packedKeysOrderByLogitThenId() {
        float[] logits = {0f, -0f, 1f, -1f, Float.NEGATIVE_INFINITY, 1e-30f, -1e30f, 1f};
        long[] keys = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            keys[i] = Sampler.key(logits[i], i);
        }
        Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = Sampler.idOf(keys[i]);
        }
        assertArrayEquals(new int[] {2, 7, 5, 0, 1, 3, 6, 4}, order);
    }

    @Test
    void samplingAllocatesNothingPerToken() {
        float[] logits = new float[32000];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (3 * r.nextGaussian());
        }
        int[] history = new int[64];
        for (int i = 0; i < history.length; i++) {
            history[i] = r.nextInt(logits.length);
        }
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (SamplingOptions o : new SamplingOptions[] {SamplingOptions.defaults(1).withPenalties(1.1f, 0.1f, 0.1f, 64),
                SamplingOptions.defaults(2).withTopK(0), SamplingOptions.greedy(), SamplingOptions.defaults(3).withTopK(0).withTopP(1f).withMinP(0f)}) {
            Sampler s = new Sampler(logits.length, o);
            for (int i = 0; i < 200; i++) {
                s.sample(logits, history, history.length);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200; i++) {
                s.sample(logits, history, history.length);
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(bytes < 1024, o + ": " + bytes + " bytes for 200 tokens");
        }
    }

    @Test
    void inPlaceSortMatchesArraysSort() {
        SplittableRandom r = new SplittableRandom(9);
        for (int n : new int[] {0, 1, 2, 15, 17, 100, 5000, 40000}) {
            long[] a = new long[n];
            for (int i = 0; i < n; i++) {
                a[i] = i % 3 == 0 ? r.nextLong(10) : r.nextLong(); // with many duplicates
            }
            long[] expected = a.clone();
            Arrays.sort(expected);
            Sampler.sort(a, 0, n);
            assertArrayEquals(expected, a, "n = " + n);
        }
    }

    @Test
    void topPWithMinPPrefilterMatchesTheDefinition() {
        // p = 0.5, 0.3, 0.15, 0.05: min-p 0.2 keeps 0.5 and 0.3 (0.15 < 0.1? no: 0.15 >= 0.1 is kept) -> 3 tokens;
        // top-p 0.7 over all four keeps 0.5 + 0.3 = 0.8 >= 0.7 -> 2 tokens; the result is the shorter prefix
        float[] l = logitsOf(0.5, 0.3, 0.15, 0.05);
        int[] h = histogram(new Sampler(4, plain(1f, 4).withTopP(0.7f).withMinP(0.2f)), l, 10_000);
        assertEquals(0, h[2] + h[3], Arrays.toString(h));
        assertEquals(10_000 * 0.5 / 0.8, h[0], 300);
    }
}
