package dev.infer4j.kernels.cpu.matmul;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.kernels.cpu.WorkerPool;
import dev.infer4j.kernels.dtype.Dequantizer;
import dev.infer4j.kernels.dtype.RandomBlocks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * Every dtype x layout x awkward size against a double-precision product of x with the weight as decoded
 * by {@link Dequantizer} (itself checked against an independent decoder in the dtype tests).
 */
class CpuMatmulTest {
    private static final float SENTINEL = -12345.5f;
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

    /** (dtype, layout, n, k, m): k and m cover tile edges (NR = 24 or 48), k and row blocks, and the GEMV/GEMM switch. */
    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        int[] ns = {1, 2, 3, 9, 17};
        for (DType type : List.of(DType.F32, DType.F16, DType.BF16)) {
            for (WeightLayout layout : WeightLayout.values()) {
                for (int n : ns) {
                    all.add(Arguments.of(type, layout, n, 37, 50));
                }
                all.add(Arguments.of(type, layout, 1, 1, 1));
                all.add(Arguments.of(type, layout, 4, 1, 97));
                all.add(Arguments.of(type, layout, 3, 1100, 23));
                all.add(Arguments.of(type, layout, 1, 300, 25));
            }
        }
        for (DType type : List.of(DType.Q8_0, DType.Q4_0)) {
            for (int n : ns) {
                all.add(Arguments.of(type, WeightLayout.OUT_IN, n, 96, 49));
            }
            all.add(Arguments.of(type, WeightLayout.OUT_IN, 1, 32, 1));
            all.add(Arguments.of(type, WeightLayout.OUT_IN, 5, 320, 100));
            all.add(Arguments.of(type, WeightLayout.OUT_IN, 1, 320, 97));
            all.add(Arguments.of(type, WeightLayout.IN_OUT, 1, 13, 64));
            all.add(Arguments.of(type, WeightLayout.IN_OUT, 3, 13, 96));
        }
        for (DType type : List.of(DType.Q4_K, DType.Q6_K)) {
            for (int n : ns) {
                all.add(Arguments.of(type, WeightLayout.OUT_IN, n, 512, 29));
            }
            all.add(Arguments.of(type, WeightLayout.OUT_IN, 1, 256, 1));
            all.add(Arguments.of(type, WeightLayout.OUT_IN, 2, 256, 50));
            all.add(Arguments.of(type, WeightLayout.IN_OUT, 2, 5, 256));
        }
        // more than one k block (2048 inputs) and more than one row block (128 rows)
        all.add(Arguments.of(DType.F32, WeightLayout.OUT_IN, 3, 2100, 5));
        all.add(Arguments.of(DType.F32, WeightLayout.IN_OUT, 2, 4200, 3));
        all.add(Arguments.of(DType.F16, WeightLayout.OUT_IN, 2, 2100, 5));
        all.add(Arguments.of(DType.Q8_0, WeightLayout.OUT_IN, 2, 2080, 5));
        all.add(Arguments.of(DType.Q4_0, WeightLayout.OUT_IN, 9, 2080, 3));
        // a Q4_0 panel too big for the GEMV to pull into the cache first (CacheWarmer: over 21,845 inputs)
        all.add(Arguments.of(DType.Q4_0, WeightLayout.OUT_IN, 1, 21856, 3));
        all.add(Arguments.of(DType.Q4_K, WeightLayout.OUT_IN, 2, 2304, 3));
        all.add(Arguments.of(DType.Q6_K, WeightLayout.OUT_IN, 3, 2304, 2));
        // every GEMM tile width (8 + 4 + 2 + 1 rows of x) over two k blocks
        all.add(Arguments.of(DType.F32, WeightLayout.OUT_IN, 15, 2100, 50));
        all.add(Arguments.of(DType.Q8_0, WeightLayout.OUT_IN, 15, 2080, 50));
        all.add(Arguments.of(DType.F32, WeightLayout.OUT_IN, 300, 20, 30));
        all.add(Arguments.of(DType.Q4_0, WeightLayout.OUT_IN, 260, 64, 7));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} n={2} k={3} m={4}")
    @MethodSource("cases")
    void matchesDoublePrecisionReference(DType type, WeightLayout layout, int n, int k, int m) {
        Random random = new Random(31L * n + 7L * k + m + type.ordinal());
        try (Arena arena = Arena.ofShared()) {
            long[] shape = layout == WeightLayout.OUT_IN ? new long[] {m, k} : new long[] {k, m};
            int count = m * k;
            Tensor wt = randomWeight(arena, type, random, shape);
            float[] decoded = new float[count];
            Dequantizer.dequantize(type, wt.segment(), 0, decoded, 0, count);
            Weight w = CpuMatmul.prepare(wt, layout);
            assertEquals(m, w.outFeatures());
            assertEquals(k, w.inFeatures());
            assertEquals(type, w.dtype());

            float[] xs = uniform(random, n * k, -1, 2);
            float[] bs = uniform(random, m, -0.5f, 1);
            Tensor x = Tensor.ofFloats(arena, xs, n, k);
            Tensor bias = Tensor.ofFloats(arena, bs, m);
            for (boolean withBias : new boolean[] {false, true}) {
                for (WorkerPool pool : new WorkerPool[] {one, two}) {
                    // out sits between sentinels to catch stray writes past either end
                    MemorySegment padded = arena.allocate(4L * (n * m + 64), 64);
                    for (long i = 0; i < padded.byteSize() / 4; i++) {
                        padded.setAtIndex(ValueLayout.JAVA_FLOAT, i, SENTINEL);
                    }
                    Tensor out = Tensor.of(DType.F32, padded.asSlice(4L * 32, 4L * n * m), n, m);
                    CpuMatmul.matmul(pool, x, w, withBias ? bias : null, out);
                    String what = type + " " + layout + " n=" + n + " k=" + k + " m=" + m + " bias=" + withBias
                            + " threads=" + pool.threads();
                    float[] xRef = layout == WeightLayout.OUT_IN && roundsInput(type, n) ? roundedTo8Bits(xs) : xs;
                    check(xRef, decoded, layout, withBias ? bs : null, n, k, m, out, what);
                    for (int i = 0; i < 32; i++) {
                        assertEquals(SENTINEL, padded.getAtIndex(ValueLayout.JAVA_FLOAT, i), what + ": wrote before out");
                        assertEquals(SENTINEL, padded.getAtIndex(ValueLayout.JAVA_FLOAT, 32 + (long) n * m + i),
                                what + ": wrote past out");
                    }
                }
            }
        }
    }

    /**
     * Whether a product of {@code n} rows with a weight of {@code type} stored {@code [out, in]} rounds x to 8 bits
     * per block of 32 (see {@code QuantizedInput}): the integer GEMVs (one row) and their small-batch kernels.
     */
    static Stream<Arguments> epilogueCases() {
        return Stream.of(
                Arguments.of(DType.F32, 1, 64, 100), // GEMV
                Arguments.of(DType.F32, 16, 2112, 100), // GEMM, one row block, two k blocks
                Arguments.of(DType.F32, 130, 64, 100), // GEMM, two row blocks
                Arguments.of(DType.Q4_0, 1, 64, 100), // integer GEMV
                Arguments.of(DType.Q4_0, 16, 64, 100), // small batch
                Arguments.of(DType.Q8_0, 5, 64, 100), // small batch
                Arguments.of(DType.Q8_0, 20, 64, 100)); // GEMM over unpacked panels
    }

    /**
     * The epilogue runs exactly once on every output, after its final value: an order-sensitive, non-idempotent
     * epilogue ({@code v -> 2v + 1}) gives what the plain matmul followed by it gives, bit for bit.
     */
    @ParameterizedTest(name = "{0} n={1} k={2} m={3}")
    @MethodSource("epilogueCases")
    void epilogueRunsOnceOnEveryFinishedOutput(DType type, int n, int k, int m) {
        Random random = new Random(17L * n + k + m + type.ordinal());
        MatmulEpilogue twicePlusOne = (out, offset, count) -> {
            for (int i = 0; i < count; i++) {
                long at = offset + 4L * i;
                out.set(ValueLayout.JAVA_FLOAT, at, 2 * out.get(ValueLayout.JAVA_FLOAT, at) + 1);
            }
        };
        try (Arena arena = Arena.ofShared()) {
            Tensor wt = randomWeight(arena, type, random, m, k);
            Weight w = CpuMatmul.prepare(wt, WeightLayout.OUT_IN);
            float[] xs = uniform(random, n * k, -1, 2);
            float[] bs = uniform(random, m, -0.5f, 1);
            Tensor x = Tensor.ofFloats(arena, xs, n, k);
            Tensor bias = Tensor.ofFloats(arena, bs, m);
            for (WorkerPool pool : new WorkerPool[] {one, two}) {
                Tensor plain = Tensor.allocate(arena, DType.F32, n, m);
                Tensor fused = Tensor.allocate(arena, DType.F32, n, m);
                CpuMatmul.matmul(pool, x, w, bias, plain);
                CpuMatmul.matmul(pool, x, w, bias, fused, twicePlusOne);
                float[] want = plain.segment().toArray(ValueLayout.JAVA_FLOAT);
                for (int i = 0; i < want.length; i++) {
                    want[i] = 2 * want[i] + 1;
                }
                assertArrayEquals(want, fused.segment().toArray(ValueLayout.JAVA_FLOAT),
                        type + " n=" + n + " k=" + k + " m=" + m + " threads=" + pool.threads());
            }
        }
    }

    /** Random blocks of {@code type} (finite scales) as a tensor of {@code shape}, blocks along the last dimension. */
    static Tensor randomWeight(Arena arena, DType type, Random random, long... shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        byte[] bytes = RandomBlocks.of(type, Math.toIntExact(count), random);
        return Tensor.of(type, arena.allocate(bytes.length, 64).copyFrom(MemorySegment.ofArray(bytes)), shape);
    }

    /** {@code n} floats uniform in {@code [from, from + width)}. */
    static float[] uniform(Random random, int n, float from, float width) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat() * width + from;
        }
        return v;
    }

    private static boolean roundsInput(DType type, int n) {
        if (n == 1) {
            return type == DType.Q4_0 || type == DType.Q4_K || type == DType.Q6_K;
        }
        return n <= SmallBatchMatmul.MAX_ROWS && (type == DType.Q4_0 || type == DType.Q6_K);
    }

    /**
     * x as the integer GEMV kernels see it, written from their documented numerics: per block of 32,
     * {@code d = max|x| / 127} and {@code v = rint(x * (127 / max))}, so x becomes {@code d * v}. Compared with this
     * at the usual float tolerance, the kernel's only departure from exact arithmetic is this rounding, which moves
     * each input by at most {@code d / 2}.
     */
    static float[] roundedTo8Bits(float[] x) {
        float[] r = new float[x.length];
        for (int b = 0; b < x.length; b += 32) {
            float max = 0;
            for (int i = b; i < b + 32; i++) {
                max = Math.max(max, Math.abs(x[i]));
            }
            float inverse = max == 0 ? 0 : 127 / max;
            for (int i = b; i < b + 32; i++) {
                float v = (float) Math.rint(x[i] * inverse);
                assertTrue(Math.abs(v) <= 127);
                r[i] = (float) ((double) (max / 127) * v);
            }
        }
        return r;
    }

    private static void check(float[] x, float[] w, WeightLayout layout, float[] bias, int n, int k, int m, Tensor out,
            String what) {
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < m; j++) {
                double sum = bias == null ? 0 : bias[j];
                double magnitude = bias == null ? 0 : Math.abs(bias[j]);
                for (int p = 0; p < k; p++) {
                    float wv = layout == WeightLayout.OUT_IN ? w[j * k + p] : w[p * m + j];
                    sum += (double) x[r * k + p] * wv;
                    magnitude += Math.abs((double) x[r * k + p] * wv);
                }
                float got = out.segment().getAtIndex(ValueLayout.JAVA_FLOAT, (long) r * m + j);
                // float accumulation in any order: far below the error of one missing or misplaced term
                double tolerance = 1e-5 * magnitude + 1e-6;
                if (!(Math.abs(got - sum) <= tolerance)) {
                    fail(what + ": out[" + r + "][" + j + "] = " + got + ", expected " + sum + " (tolerance " + tolerance + ")");
                }
            }
        }
    }

    /** A NaN in x reaches every output, also where the GEMV rounds x to 8 bits (its block's scale becomes NaN). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = DType.class, names = {"F32", "F16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void nanInXMakesEveryGemvOutputNaN(DType type) {
        Random random = new Random(type.ordinal());
        int k = 512;
        int m = 50;
        try (Arena arena = Arena.ofShared()) {
            Tensor wt = randomWeight(arena, type, random, m, k);
            Weight w = CpuMatmul.prepare(wt, WeightLayout.OUT_IN);
            float[] xs = new float[k];
            for (int i = 0; i < k; i++) {
                xs[i] = random.nextFloat() * 2 - 1;
            }
            xs[300] = Float.NaN;
            Tensor out = Tensor.allocate(arena, DType.F32, 1, m);
            CpuMatmul.matmul(two, Tensor.ofFloats(arena, xs, 1, k), w, null, out);
            for (int j = 0; j < m; j++) {
                assertTrue(Float.isNaN(out.segment().getAtIndex(ValueLayout.JAVA_FLOAT, j)), type + " out[" + j + "]");
            }
        }
    }

    @Test
    void rowsOfHigherRankTensorsAreFlattened() {
        try (Arena arena = Arena.ofShared()) {
            float[] ws = {1, 2, 3, 4, 5, 6}; // [3 out, 2 in]
            Weight w = CpuMatmul.prepare(Tensor.ofFloats(arena, ws, 3, 2), WeightLayout.OUT_IN);
            Tensor x = Tensor.ofFloats(arena, new float[] {1, 0, 0, 1, 1, 1, 2, -1}, 2, 2, 2);
            Tensor out = Tensor.allocate(arena, DType.F32, 2, 2, 3);
            CpuMatmul.matmul(two, x, w, null, out);
            float[] got = new float[12];
            MemorySegment.copy(out.segment(), ValueLayout.JAVA_FLOAT, 0, got, 0, 12);
            assertEquals(List.of(1f, 3f, 5f, 2f, 4f, 6f, 3f, 7f, 11f, 0f, 2f, 4f), toList(got));
        }
    }

    private static List<Float> toList(float[] a) {
        List<Float> l = new ArrayList<>();
        for (float v : a) {
            l.add(v);
        }
        return l;
    }

    @Test
    void badArgumentsAreRejected() {
        try (Arena arena = Arena.ofShared()) {
            Tensor wt = Tensor.allocate(arena, DType.F32, 4, 3);
            Weight w = CpuMatmul.prepare(wt, WeightLayout.OUT_IN);
            Tensor x = Tensor.allocate(arena, DType.F32, 2, 3);
            Tensor out = Tensor.allocate(arena, DType.F32, 2, 4);
            assertMessage(() -> CpuMatmul.matmul(one, Tensor.allocate(arena, DType.F32, 2, 4), w, null, out), "shapes");
            assertMessage(() -> CpuMatmul.matmul(one, x, w, null, Tensor.allocate(arena, DType.F32, 3, 4)), "shapes");
            assertMessage(() -> CpuMatmul.matmul(one, x, w, null, Tensor.allocate(arena, DType.F32, 2, 5)), "shapes");
            assertMessage(() -> CpuMatmul.matmul(one, x, w, Tensor.allocate(arena, DType.F32, 3), out), "bias");
            assertMessage(() -> CpuMatmul.matmul(one, Tensor.allocate(arena, DType.I32, 2, 3), w, null, out), "F32");
            assertMessage(() -> CpuMatmul.matmul(one, x, new Weight() {
                public DType dtype() {
                    return DType.F32;
                }

                public long outFeatures() {
                    return 4;
                }

                public long inFeatures() {
                    return 3;
                }
            }, null, out), "prepare");
            Tensor square = Tensor.allocate(arena, DType.F32, 2, 4);
            Weight sq = CpuMatmul.prepare(Tensor.allocate(arena, DType.F32, 4, 4), WeightLayout.OUT_IN);
            assertMessage(() -> CpuMatmul.matmul(one, square, sq, null, square), "overlaps");
            assertMessage(() -> CpuMatmul.prepare(Tensor.allocate(arena, DType.F32, 2, 2, 2), WeightLayout.OUT_IN), "2-D");
            assertMessage(() -> CpuMatmul.prepare(Tensor.allocate(arena, DType.I32, 2, 2), WeightLayout.OUT_IN), "floating");
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention " + fragment);
    }
}
