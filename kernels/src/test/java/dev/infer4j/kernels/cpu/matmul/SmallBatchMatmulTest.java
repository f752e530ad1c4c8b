package dev.infer4j.kernels.cpu.matmul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.kernels.cpu.WorkerPool;
import dev.infer4j.kernels.dtype.Dequantizer;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The small-batch kernels ({@link SmallBatchMatmul}) against two references: the weight's GEMV run row by row
 * (bit for bit: a batched decode step must give each sequence exactly what decoding it alone gives), and a
 * double-precision product of the dequantized weight with x as its documented 8-bit rounding makes it
 * ({@link CpuMatmulTest#roundedTo8Bits}; Q8_0 reads x unrounded).
 */
class SmallBatchMatmulTest {
    private static WorkerPool one;
    private static WorkerPool two;

    @BeforeAll
    static void pools() {
        one = new WorkerPool(1);
        two = new WorkerPool(2);
    }

    @AfterAll
    static void close() {
        one.close();
        two.close();
    }

    /** (dtype, n, k, m): every chunk remainder (n mod 4), the largest n, m with a partial last panel. */
    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (int n : new int[] {2, 3, 4, 5, 7, 8, 13, SmallBatchMatmul.MAX_ROWS}) {
            all.add(Arguments.of(DType.Q4_0, n, 320, 100));
            all.add(Arguments.of(DType.Q6_K, n, 512, 61));
        }
        for (int n : new int[] {2, 3, 4, 5, 7, 8, 9, 12, SmallBatchMatmul.MAX_Q8_0_ROWS}) {
            all.add(Arguments.of(DType.Q8_0, n, 320, 100));
        }
        all.add(Arguments.of(DType.Q4_0, 6, 2080, 7));
        all.add(Arguments.of(DType.Q8_0, 3, 32, 1));
        all.add(Arguments.of(DType.Q6_K, 2, 256, 1));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} n={1} k={2} m={3}")
    @MethodSource("cases")
    void equalsGemvRowByRowAndDoublePrecisionReference(DType type, int n, int k, int m) {
        Random random = new Random(17L * n + k + 5L * m + type.ordinal());
        try (Arena arena = Arena.ofShared()) {
            Tensor wt = CpuMatmulTest.randomWeight(arena, type, random, m, k);
            float[] decoded = new float[m * k];
            Dequantizer.dequantize(type, wt.segment(), 0, decoded, 0, m * k);
            Weight w = CpuMatmul.prepare(wt, WeightLayout.OUT_IN);
            assertTrue(SmallBatchMatmul.handles((PackedWeight) w, n), "the case must take the small-batch path");
            float[] xs = new float[n * k];
            for (int i = 0; i < xs.length; i++) {
                // rows of different magnitudes, so that a row mixed up with another shows
                xs[i] = (random.nextFloat() * 2 - 1) * (1 + i / k);
            }
            float[] bs = new float[m];
            for (int i = 0; i < m; i++) {
                bs[i] = random.nextFloat() - 0.5f;
            }
            Tensor x = Tensor.ofFloats(arena, xs, n, k);
            Tensor bias = Tensor.ofFloats(arena, bs, m);
            for (WorkerPool pool : new WorkerPool[] {one, two}) {
                String what = type + " n=" + n + " k=" + k + " m=" + m + " threads=" + pool.threads();
                Tensor out = Tensor.allocate(arena, DType.F32, n, m);
                CpuMatmul.matmul(pool, x, w, bias, out);
                Tensor row = Tensor.allocate(arena, DType.F32, 1, m);
                for (int r = 0; r < n; r++) {
                    Tensor xr = Tensor.ofFloats(arena, java.util.Arrays.copyOfRange(xs, r * k, (r + 1) * k), 1, k);
                    CpuMatmul.matmul(pool, xr, w, bias, row);
                    for (int j = 0; j < m; j++) {
                        float batched = out.segment().getAtIndex(ValueLayout.JAVA_FLOAT, (long) r * m + j);
                        float alone = row.segment().getAtIndex(ValueLayout.JAVA_FLOAT, j);
                        assertEquals(Float.floatToRawIntBits(alone), Float.floatToRawIntBits(batched),
                                what + ": out[" + r + "][" + j + "] batched " + batched + ", GEMV " + alone);
                    }
                }
                float[] xRef = type == DType.Q8_0 ? xs : CpuMatmulTest.roundedTo8Bits(xs);
                checkAgainstDoubles(xRef, decoded, bs, n, k, m, out, what);
            }
        }
    }

    private static void checkAgainstDoubles(float[] x, float[] w, float[] bias, int n, int k, int m, Tensor out,
            String what) {
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < m; j++) {
                double sum = bias[j];
                double magnitude = Math.abs(bias[j]);
                for (int p = 0; p < k; p++) {
                    sum += (double) x[r * k + p] * w[j * k + p];
                    magnitude += Math.abs((double) x[r * k + p] * w[j * k + p]);
                }
                float got = out.segment().getAtIndex(ValueLayout.JAVA_FLOAT, (long) r * m + j);
                double tolerance = 1e-5 * magnitude + 1e-6;
                if (!(Math.abs(got - sum) <= tolerance)) {
                    fail(what + ": out[" + r + "][" + j + "] = " + got + ", expected " + sum + " (tolerance " + tolerance + ")");
                }
            }
        }
    }

    /** A NaN in one row of x makes that row's outputs NaN and leaves the other rows finite. */
    @Test
    void nanStaysInItsRow() {
        for (DType type : List.of(DType.Q4_0, DType.Q8_0, DType.Q6_K)) {
            Random random = new Random(type.ordinal());
            int n = 6;
            int k = 512;
            int m = 50;
            try (Arena arena = Arena.ofShared()) {
                Tensor wt = CpuMatmulTest.randomWeight(arena, type, random, m, k);
                Weight w = CpuMatmul.prepare(wt, WeightLayout.OUT_IN);
                float[] xs = CpuMatmulTest.uniform(random, n * k, -1, 2);
                xs[4 * k + 300] = Float.NaN;
                Tensor out = Tensor.allocate(arena, DType.F32, n, m);
                CpuMatmul.matmul(two, Tensor.ofFloats(arena, xs, n, k), w, null, out);
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < m; j++) {
                        float v = out.segment().getAtIndex(ValueLayout.JAVA_FLOAT, (long) r * m + j);
                        if (r == 4) {
                            assertTrue(Float.isNaN(v), type + " out[" + r + "][" + j + "]");
                        } else {
                            assertFalse(Float.isNaN(v), type + " out[" + r + "][" + j + "]");
                        }
                    }
                }
            }
        }
    }

    @Test
    void otherFormatsAndLargerBatchesGoToTheGemm() {
        try (Arena arena = Arena.ofShared()) {
            Random random = new Random(3);
            for (DType type : List.of(DType.F32, DType.F16, DType.Q4_K)) {
                Tensor wt = CpuMatmulTest.randomWeight(arena, type, random, 4, 256);
                assertFalse(SmallBatchMatmul.handles((PackedWeight) CpuMatmul.prepare(wt, WeightLayout.OUT_IN), 4), type.name());
            }
            Tensor wt = CpuMatmulTest.randomWeight(arena, DType.Q4_0, random, 4, 256);
            PackedWeight w = (PackedWeight) CpuMatmul.prepare(wt, WeightLayout.OUT_IN);
            assertFalse(SmallBatchMatmul.handles(w, 1));
            assertTrue(SmallBatchMatmul.handles(w, SmallBatchMatmul.MAX_ROWS));
            assertFalse(SmallBatchMatmul.handles(w, SmallBatchMatmul.MAX_ROWS + 1));
            wt = CpuMatmulTest.randomWeight(arena, DType.Q8_0, random, 4, 256);
            w = (PackedWeight) CpuMatmul.prepare(wt, WeightLayout.OUT_IN);
            assertTrue(SmallBatchMatmul.handles(w, 12));
            assertTrue(SmallBatchMatmul.handles(w, SmallBatchMatmul.MAX_Q8_0_ROWS));
            assertFalse(SmallBatchMatmul.handles(w, SmallBatchMatmul.MAX_Q8_0_ROWS + 1));
        }
    }
}
