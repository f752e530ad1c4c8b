package dev.infer4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link Backend} must meet, checked op by op against plain double-precision
 * reference code written here, on random inputs of odd sizes (not multiples of any vector width),
 * in-place calls, masks and grouped-query heads, with one and two threads. A backend's test extends
 * this class and implements {@link #createBackend}; only the {@link Backend} interface is used
 * (activations go in and out through {@code write}/{@code read}), so device backends run it unchanged.
 *
 * <h2>Tolerances</h2>
 * A value passes when {@code |got - want| <= atol + rtol · |want|} (matmul: {@code atol} scales with
 * {@code Σ|x·w|}, the size of the float rounding a dot product may make). Per op family:
 * <ul>
 *   <li>copies, write/read, embedding of F32/F16/BF16 tables: exact;</li>
 *   <li>add, scale: rtol 1e-6 (one rounding);</li>
 *   <li>norms, softmax, activations: rtol 1e-5, atol 1e-6 (float sums over a row, polynomial exp/erf);</li>
 *   <li>RoPE: atol 1e-5 · |x| (float cos/sin; angles up to 10⁴ rad formed exactly enough);</li>
 *   <li>attention, mean pooling: rtol 1e-4, atol 1e-5 (two float reductions and an exp);</li>
 *   <li>matmul: 1e-5 · Σ|x·w| + 1e-6 per output.</li>
 * </ul>
 * {@link #toleranceScale()} multiplies all of them for backends with coarser arithmetic.
 * Seeds: each test uses a fixed seed derived from its name; {@code -Dinfer4j.test.seed=N} explores others,
 * and failures print the seed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {
    /** Sizes that are not multiples of 4, 8 or 16 lanes, plus a few that are. */
    protected static final int[] SIZES = {1, 3, 7, 16, 17, 33, 65, 130};

    private final Map<Integer, Backend> backends = new HashMap<>();
    /** Host memory for parameters (norm weights, tables), as a model file would provide them. */
    protected final Arena host = Arena.ofShared();
    private long seed;

    /** A new backend using {@code threads} host threads. */
    protected abstract Backend createBackend(int threads);

    /** Multiplies every tolerance; 1 for backends that compute in float with accurate exp/erf. */
    protected double toleranceScale() {
        return 1;
    }

    protected final Backend backend(int threads) {
        return backends.computeIfAbsent(threads, this::createBackend);
    }

    @AfterAll
    void closeBackends() {
        backends.values().forEach(Backend::close);
        host.close();
    }

    protected Random random(String test, int threads) {
        Long override = Long.getLong("infer4j.test.seed");
        seed = (override != null ? override : (long) test.hashCode()) * 31 + threads;
        return new Random(seed);
    }

    // ---- helpers ------------------------------------------------------------------------------

    protected static float[] randomFloats(Random r, int n, float range) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextFloat() * 2 - 1) * range;
        }
        return a;
    }

    protected static int size(Random r) {
        return SIZES[r.nextInt(SIZES.length)];
    }

    protected Tensor upload(Backend b, float[] values, long... shape) {
        Tensor t = b.allocate(DType.F32, shape);
        b.write(t, 0, values, 0, values.length);
        return t;
    }

    protected static float[] download(Backend b, Tensor t) {
        float[] a = new float[Math.toIntExact(t.elementCount())];
        b.read(t, 0, a, 0, a.length);
        return a;
    }

    protected Tensor hostTensor(float[] values, long... shape) {
        return Tensor.ofFloats(host, values, shape);
    }

    protected void assertClose(String what, double[] want, float[] got, double atol, double rtol) {
        assertEquals(want.length, got.length, what + ": length");
        double a = atol * toleranceScale();
        double r = rtol * toleranceScale();
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[i] - want[i]);
            if (!(err <= a + r * Math.abs(want[i]))) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + want[i] + " (error " + err
                        + ", allowed " + (a + r * Math.abs(want[i])) + ", seed " + seed + ")");
            }
        }
    }

    // ---- memory -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void writeReadAndCopyRows(int threads) {
        Backend b = backend(threads);
        Random r = random("copy", threads);
        for (int round = 0; round < 10; round++) {
            int rows = size(r) + 2;
            int cols = size(r);
            Tensor t = b.allocate(DType.F32, rows, cols);
            assertArrayEquals(new float[rows * cols], download(b, t), "allocate zeroes");
            float[] values = randomFloats(r, rows * cols, 10);
            b.write(t, 0, values, 0, values.length);
            assertArrayEquals(values, download(b, t));
            // a partial write at an offset, from the middle of an array
            float[] part = randomFloats(r, cols + 2, 1);
            b.write(t, cols, part, 1, cols);
            System.arraycopy(part, 1, values, cols, cols);
            float[] back = new float[cols + 3];
            b.read(t, cols, back, 2, cols);
            for (int i = 0; i < cols; i++) {
                assertEquals(part[1 + i], back[2 + i]);
            }
            assertArrayEquals(values, download(b, t));
            // copy rows to another tensor, then overlapping rows within the same tensor
            Tensor other = b.allocate(DType.F32, rows + 1, cols);
            b.copyRows(t, 1, other, 2, rows - 1);
            float[] o = download(b, other);
            for (int i = 0; i < (rows - 1) * cols; i++) {
                assertEquals(values[cols + i], o[2 * cols + i]);
            }
            b.copyRows(t, 0, t, 1, rows - 1);
            float[] shifted = download(b, t);
            for (int i = 0; i < (rows - 1) * cols; i++) {
                assertEquals(values[i], shifted[cols + i], "overlapping copyRows");
            }
        }
        Tensor ids = b.allocate(DType.I32, 5);
        assertEquals(DType.I32, ids.dtype());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void memoryRejectsBadArguments(int threads) {
        Backend b = backend(threads);
        Tensor t = b.allocate(DType.F32, 3, 4);
        assertThrows(IllegalArgumentException.class, () -> b.allocate(DType.Q8_0, 32));
        assertThrows(IllegalArgumentException.class, () -> b.write(t, 10, new float[4], 0, 4));
        assertThrows(IllegalArgumentException.class, () -> b.write(t, 0, new float[4], 2, 4));
        assertThrows(IllegalArgumentException.class, () -> b.read(t, -1, new float[4], 0, 4));
        assertThrows(IllegalArgumentException.class, () -> b.copyRows(t, 1, t, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> b.copyRows(t, 0, b.allocate(DType.F32, 3, 5), 0, 1));
    }

    // ---- elementwise --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void addAndScale(int threads) {
        Backend b = backend(threads);
        Random r = random("add", threads);
        for (int round = 0; round < 20; round++) {
            int rows = size(r);
            int cols = size(r);
            float[] x = randomFloats(r, rows * cols, 5);
            boolean broadcast = r.nextBoolean();
            float[] y = randomFloats(r, broadcast ? cols : rows * cols, 5);
            double[] want = new double[rows * cols];
            for (int i = 0; i < want.length; i++) {
                want[i] = (double) x[i] + y[broadcast ? i % cols : i];
            }
            Tensor a = upload(b, x, rows, cols);
            Tensor bt = upload(b, y, broadcast ? new long[] {cols} : new long[] {rows, cols});
            boolean inPlace = r.nextBoolean();
            Tensor out = inPlace ? a : b.allocate(DType.F32, rows, cols);
            b.add(a, bt, out);
            assertClose("add " + rows + "x" + cols + (broadcast ? " broadcast" : "") + (inPlace ? " in place" : ""),
                    want, download(b, out), 0, 1e-6);

            float factor = r.nextFloat() * 4 - 2;
            Tensor s = upload(b, x, rows, cols);
            b.scale(s, factor);
            double[] scaled = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                scaled[i] = (double) x[i] * factor;
            }
            assertClose("scale", scaled, download(b, s), 0, 1e-6);
        }
        assertThrows(IllegalArgumentException.class,
                () -> b.add(b.allocate(DType.F32, 2, 3), b.allocate(DType.F32, 2), b.allocate(DType.F32, 2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> b.add(b.allocate(DType.F32, 2, 3), b.allocate(DType.F32, 3), b.allocate(DType.F32, 3, 3)));
    }

    // ---- normalisation ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void rmsNormAndLayerNorm(int threads) {
        Backend b = backend(threads);
        Random r = random("norm", threads);
        for (int round = 0; round < 20; round++) {
            int rows = size(r);
            int cols = size(r);
            float[] x = randomFloats(r, rows * cols, 3);
            float offset = r.nextFloat() * 10; // a shifted mean tests LayerNorm's variance
            for (int i = 0; i < x.length; i++) {
                x[i] += offset;
            }
            float[] w = randomFloats(r, cols, 2);
            float[] bias = randomFloats(r, cols, 1);
            float eps = r.nextBoolean() ? 1e-5f : 1e-12f;
            double[] rms = new double[x.length];
            double[] ln = new double[x.length];
            for (int row = 0; row < rows; row++) {
                double sq = 0;
                double mean = 0;
                for (int c = 0; c < cols; c++) {
                    sq += (double) x[row * cols + c] * x[row * cols + c];
                    mean += x[row * cols + c];
                }
                mean /= cols;
                double var = 0;
                for (int c = 0; c < cols; c++) {
                    var += (x[row * cols + c] - mean) * (x[row * cols + c] - mean);
                }
                var /= cols;
                for (int c = 0; c < cols; c++) {
                    int i = row * cols + c;
                    rms[i] = x[i] / Math.sqrt(sq / cols + eps) * w[c];
                    ln[i] = (x[i] - mean) / Math.sqrt(var + eps) * w[c] + bias[c];
                }
            }
            boolean inPlace = r.nextBoolean();
            Tensor t = upload(b, x, rows, cols);
            Tensor out = inPlace ? t : b.allocate(DType.F32, rows, cols);
            b.rmsNorm(t, hostTensor(w, cols), eps, out);
            assertClose("rmsNorm " + rows + "x" + cols, rms, download(b, out), 1e-6, 1e-5);

            t = upload(b, x, rows, cols);
            out = inPlace ? t : b.allocate(DType.F32, rows, cols);
            b.layerNorm(t, hostTensor(w, cols), hostTensor(bias, cols), eps, out);
            // the mean offset costs precision in float input itself; allow for it
            assertClose("layerNorm " + rows + "x" + cols, ln, download(b, out), 1e-5 * (1 + offset), 1e-5);

            t = upload(b, x, rows, cols);
            b.layerNorm(t, hostTensor(w, cols), null, eps, t);
            double[] noBias = ln.clone();
            for (int i = 0; i < noBias.length; i++) {
                noBias[i] -= bias[i % cols];
            }
            assertClose("layerNorm without bias", noBias, download(b, t), 1e-5 * (1 + offset), 1e-5);
        }
        Tensor x = b.allocate(DType.F32, 2, 4);
        assertThrows(IllegalArgumentException.class, () -> b.rmsNorm(x, hostTensor(new float[3], 3), 1e-5f, x));
        assertThrows(IllegalArgumentException.class,
                () -> b.layerNorm(x, hostTensor(new float[4], 4), hostTensor(new float[5], 5), 1e-5f, x));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void softmaxAndL2Normalize(int threads) {
        Backend b = backend(threads);
        Random r = random("softmax", threads);
        for (int round = 0; round < 20; round++) {
            int rows = size(r);
            int cols = size(r);
            // large magnitudes: a naive exp would overflow
            float[] x = randomFloats(r, rows * cols, round % 2 == 0 ? 5 : 120);
            double[] soft = new double[x.length];
            double[] l2 = new double[x.length];
            for (int row = 0; row < rows; row++) {
                double max = Double.NEGATIVE_INFINITY;
                double sq = 0;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, x[row * cols + c]);
                    sq += (double) x[row * cols + c] * x[row * cols + c];
                }
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += Math.exp(x[row * cols + c] - max);
                }
                for (int c = 0; c < cols; c++) {
                    soft[row * cols + c] = Math.exp(x[row * cols + c] - max) / sum;
                    l2[row * cols + c] = x[row * cols + c] / Math.max(Math.sqrt(sq), 1e-12);
                }
            }
            Tensor t = upload(b, x, rows, cols);
            b.softmax(t);
            assertClose("softmax " + rows + "x" + cols, soft, download(b, t), 1e-6, 1e-5);
            t = upload(b, x, rows, cols);
            b.l2Normalize(t);
            assertClose("l2Normalize " + rows + "x" + cols, l2, download(b, t), 1e-6, 1e-5);
        }
        Tensor zero = b.allocate(DType.F32, 2, 5);
        b.l2Normalize(zero);
        assertArrayEquals(new float[10], download(b, zero), "a zero row stays zero");
    }

    // ---- activations --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void activations(int threads) {
        Backend b = backend(threads);
        Random r = random("activations", threads);
        for (int round = 0; round < 20; round++) {
            int rows = size(r);
            int cols = size(r);
            float[] x = randomFloats(r, rows * cols, round % 3 == 0 ? 30 : 6);
            float[] up = randomFloats(r, rows * cols, 3);
            double[] gelu = new double[x.length];
            double[] geluTanh = new double[x.length];
            double[] silu = new double[x.length];
            double[] swiglu = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double v = x[i];
                gelu[i] = 0.5 * v * (1 + ReferenceMath.erf(v / Math.sqrt(2)));
                geluTanh[i] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                silu[i] = v / (1 + Math.exp(-v));
                swiglu[i] = silu[i] * up[i];
            }
            boolean inPlace = r.nextBoolean();
            String shape = rows + "x" + cols + (inPlace ? " in place" : "");
            Tensor t = upload(b, x, rows, cols);
            Tensor out = inPlace ? t : b.allocate(DType.F32, rows, cols);
            b.gelu(t, out);
            assertClose("gelu " + shape, gelu, download(b, out), 1e-6, 1e-5);
            t = upload(b, x, rows, cols);
            out = inPlace ? t : b.allocate(DType.F32, rows, cols);
            b.geluTanh(t, out);
            assertClose("geluTanh " + shape, geluTanh, download(b, out), 1e-6, 1e-5);
            t = upload(b, x, rows, cols);
            out = inPlace ? t : b.allocate(DType.F32, rows, cols);
            b.silu(t, out);
            assertClose("silu " + shape, silu, download(b, out), 1e-6, 1e-5);
            t = upload(b, x, rows, cols);
            out = inPlace ? t : b.allocate(DType.F32, rows, cols);
            b.swiglu(t, upload(b, up, rows, cols), out);
            assertClose("swiglu " + shape, swiglu, download(b, out), 1e-6, 1e-5);
        }
        float[] edges = {0f, -0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 0.5f, -0.5f, 0.75f, -0.75f, 1f, -1f, 3f, -3f,
            10f, -10f, 14f, -14f, 80f, -80f, 1e4f, -1e4f};
        double[] want = new double[edges.length];
        for (int i = 0; i < edges.length; i++) {
            want[i] = 0.5 * edges[i] * (1 + ReferenceMath.erf(edges[i] / Math.sqrt(2)));
        }
        Tensor t = upload(b, edges, edges.length);
        b.gelu(t, t);
        assertClose("gelu at edges", want, download(b, t), 1e-7, 1e-6);
        assertThrows(IllegalArgumentException.class,
                () -> b.swiglu(b.allocate(DType.F32, 2, 3), b.allocate(DType.F32, 2, 4), b.allocate(DType.F32, 2, 3)));
    }

    // ---- rope ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void rope(int threads) {
        Backend b = backend(threads);
        Random r = random("rope", threads);
        int[] headDims = {2, 6, 8, 34, 64};
        for (int round = 0; round < 40; round++) {
            int headDim = headDims[r.nextInt(headDims.length)];
            int rotaryDim = r.nextBoolean() ? headDim : 2 * (1 + r.nextInt(headDim / 2));
            int heads = 1 + r.nextInt(3);
            int tokens = size(r);
            boolean neox = r.nextBoolean();
            float theta = r.nextBoolean() ? 10000f : 500000f;
            float positionScale = r.nextInt(3) == 0 ? 0.25f : 1f;
            float[] factors = null;
            if (r.nextInt(3) == 0) {
                factors = new float[rotaryDim / 2];
                for (int i = 0; i < factors.length; i++) {
                    factors[i] = 1 + r.nextFloat() * 7;
                }
            }
            RopeSpec spec = new RopeSpec(headDim, rotaryDim, theta, neox,
                    factors == null ? null : hostTensor(factors, factors.length), positionScale);
            int[] positions = new int[tokens + r.nextInt(2)]; // may be longer than needed
            for (int i = 0; i < positions.length; i++) {
                positions[i] = r.nextInt(4) == 0 ? r.nextInt(10000) : r.nextInt(50);
            }
            int width = heads * headDim;
            float[] x = randomFloats(r, tokens * width, 2);
            double[] want = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                want[i] = x[i];
            }
            for (int t = 0; t < tokens; t++) {
                for (int h = 0; h < heads; h++) {
                    int base = t * width + h * headDim;
                    for (int i = 0; i < rotaryDim / 2; i++) {
                        double freq = Math.pow(theta, -2.0 * i / rotaryDim) / (factors == null ? 1 : factors[i]);
                        double angle = positions[t] * (double) positionScale * freq;
                        int i0 = neox ? base + i : base + 2 * i;
                        int i1 = neox ? base + i + rotaryDim / 2 : base + 2 * i + 1;
                        want[i0] = x[i0] * Math.cos(angle) - x[i1] * Math.sin(angle);
                        want[i1] = x[i0] * Math.sin(angle) + x[i1] * Math.cos(angle);
                    }
                }
            }
            Tensor t = upload(b, x, tokens, width);
            b.rope(t, positions, spec);
            assertClose("rope " + spec + " tokens " + tokens + " heads " + heads, want, download(b, t), 2e-5, 0);
        }
        assertThrows(IllegalArgumentException.class,
                () -> b.rope(b.allocate(DType.F32, 3, 10), new int[3], RopeSpec.of(4, 10000f, false)));
        assertThrows(IllegalArgumentException.class,
                () -> b.rope(b.allocate(DType.F32, 3, 8), new int[2], RopeSpec.of(4, 10000f, false)));
    }

    // ---- attention ----------------------------------------------------------------------------

    /** Straightforward attention in double, following {@link AttentionSpec} literally. */
    protected static double[] referenceAttention(float[] q, float[] k, float[] v, AttentionSpec s) {
        int d = s.headDim();
        int qWidth = s.heads() * d;
        int kvWidth = s.kvHeads() * d;
        double[] out = new double[s.batch() * s.queryLength() * qWidth];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                int g = h / (s.heads() / s.kvHeads());
                for (int j = 0; j < s.queryLength(); j++) {
                    int visible = s.causal() ? s.keyLengths()[b] - s.queryLength() + j + 1 : s.keyLengths()[b];
                    double[] score = new double[visible];
                    double max = Double.NEGATIVE_INFINITY;
                    int qRow = (b * s.queryLength() + j) * qWidth + h * d;
                    for (int t = 0; t < visible; t++) {
                        int kRow = (b * s.keyCapacity() + t) * kvWidth + g * d;
                        double dot = 0;
                        for (int i = 0; i < d; i++) {
                            dot += (double) q[qRow + i] * k[kRow + i];
                        }
                        score[t] = dot * s.scale();
                        max = Math.max(max, score[t]);
                    }
                    double sum = 0;
                    for (int t = 0; t < visible; t++) {
                        score[t] = Math.exp(score[t] - max);
                        sum += score[t];
                    }
                    for (int t = 0; t < visible; t++) {
                        int vRow = (b * s.keyCapacity() + t) * kvWidth + g * d;
                        for (int i = 0; i < d; i++) {
                            out[qRow + i] += score[t] / sum * v[vRow + i];
                        }
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void attention(int threads) {
        Backend be = backend(threads);
        Random r = random("attention", threads);
        int[] groups = {1, 2, 4};
        int[] headDims = {1, 3, 8, 17, 33, 64};
        for (int round = 0; round < 60; round++) {
            int kvHeads = 1 + r.nextInt(3);
            int heads = kvHeads * groups[r.nextInt(groups.length)];
            int d = headDims[r.nextInt(headDims.length)];
            int batch = 1 + r.nextInt(3);
            boolean causal = r.nextBoolean();
            int queryLength = causal && r.nextBoolean() ? 1 : size(r);
            int capacity = queryLength + r.nextInt(40);
            int[] lengths = new int[batch];
            for (int b = 0; b < batch; b++) {
                lengths[b] = causal ? queryLength + r.nextInt(capacity - queryLength + 1) : 1 + r.nextInt(capacity);
            }
            float scale = (float) (1 / Math.sqrt(d)) * (r.nextBoolean() ? 1 : 8); // also a sharp softmax
            checkAttention(be, r, new AttentionSpec(heads, kvHeads, d, scale, causal, batch, queryLength, capacity,
                    lengths));
        }
        AttentionSpec spec = new AttentionSpec(4, 2, 8, 1f, false, 1, 3, 5, new int[] {5});
        Tensor q = be.allocate(DType.F32, 3, 32);
        Tensor kv = be.allocate(DType.F32, 1, 5, 16);
        assertThrows(IllegalArgumentException.class, () -> be.attention(q, be.allocate(DType.F32, 1, 5, 32), kv, q, spec));
        assertThrows(IllegalArgumentException.class, () -> be.attention(be.allocate(DType.F32, 3, 16), kv, kv, q, spec));
    }

    /** Runs {@code spec} on random inputs whose padding keys are NaN and compares with {@link #referenceAttention}. */
    protected void checkAttention(Backend be, Random r, AttentionSpec spec) {
        int batch = spec.batch();
        int queryLength = spec.queryLength();
        int capacity = spec.keyCapacity();
        int heads = spec.heads();
        int kvHeads = spec.kvHeads();
        int d = spec.headDim();
        int[] lengths = spec.keyLengths().clone();
        float[] q = randomFloats(r, batch * queryLength * heads * d, 2);
        float[] k = randomFloats(r, batch * capacity * kvHeads * d, 2);
        float[] v = randomFloats(r, batch * capacity * kvHeads * d, 2);
        double[] want = referenceAttention(q, k, v, spec);
        // padding keys hold NaN: a backend that reads a masked key fails loudly
        for (int b = 0; b < batch; b++) {
            for (int i = (b * capacity + lengths[b]) * kvHeads * d; i < (b + 1) * capacity * kvHeads * d; i++) {
                k[i] = Float.NaN;
                v[i] = Float.NaN;
            }
        }
        Tensor qt = upload(be, q, batch * queryLength, heads * d);
        Tensor kt = upload(be, k, batch, capacity, kvHeads * d);
        Tensor vt = upload(be, v, batch, capacity, kvHeads * d);
        Tensor out = be.allocate(DType.F32, batch * queryLength, heads * d);
        be.attention(qt, kt, vt, out, spec);
        assertArrayEquals(lengths, spec.keyLengths(), "attention must not change keyLengths");
        float[] got = download(be, out);
        if (!spec.causal()) {
            // rows of padded query positions are unspecified
            for (int b = 0; b < batch; b++) {
                for (int j = Math.min(lengths[b], queryLength); j < queryLength; j++) {
                    for (int i = 0; i < heads * d; i++) {
                        got[(b * queryLength + j) * heads * d + i] = (float) want[(b * queryLength + j) * heads * d + i];
                    }
                }
            }
        }
        assertClose("attention heads " + heads + "/" + kvHeads + " d " + d + " batch " + batch + " q "
                + queryLength + " cap " + capacity + " lengths " + java.util.Arrays.toString(lengths)
                + (spec.causal() ? " causal" : ""), want, got, 1e-5, 1e-4);
    }

    /** Contexts of hundreds of keys: decode steps, prompt chunks after a cache, sharp and flat softmax. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void attentionOverLongContexts(int threads) {
        Backend be = backend(threads);
        Random r = random("longAttention", threads);
        for (int round = 0; round < 8; round++) {
            int kvHeads = 1 + r.nextInt(2);
            int heads = kvHeads * (round % 2 == 0 ? 4 : 1);
            int d = round < 4 ? 64 : 17;
            int queryLength = round % 3 == 0 ? 1 : 1 + r.nextInt(40);
            int capacity = 300 + r.nextInt(500);
            int batch = 1 + r.nextInt(2);
            int[] lengths = new int[batch];
            for (int b = 0; b < batch; b++) {
                lengths[b] = queryLength + r.nextInt(capacity - queryLength + 1);
            }
            float scale = (float) (1 / Math.sqrt(d)) * (round % 2 == 0 ? 1 : 6);
            checkAttention(be, r, new AttentionSpec(heads, kvHeads, d, scale, true, batch, queryLength, capacity, lengths));
            int[] full = new int[batch];
            for (int b = 0; b < batch; b++) {
                full[b] = 1 + r.nextInt(capacity);
            }
            checkAttention(be, r, new AttentionSpec(heads, kvHeads, d, scale, false, batch, queryLength, capacity, full));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void meanPool(int threads) {
        Backend be = backend(threads);
        Random r = random("meanPool", threads);
        for (int round = 0; round < 20; round++) {
            int batch = 1 + r.nextInt(4);
            int seq = size(r);
            int dim = size(r);
            int[] lengths = new int[batch];
            for (int b = 0; b < batch; b++) {
                lengths[b] = 1 + r.nextInt(seq);
            }
            float[] x = randomFloats(r, batch * seq * dim, 3);
            double[] want = new double[batch * dim];
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < dim; i++) {
                    double s = 0;
                    for (int t = 0; t < lengths[b]; t++) {
                        s += x[(b * seq + t) * dim + i];
                    }
                    want[b * dim + i] = s / lengths[b];
                }
            }
            Tensor out = be.allocate(DType.F32, batch, dim);
            be.meanPool(upload(be, x, batch * seq, dim), batch, seq, lengths, out);
            assertClose("meanPool", want, download(be, out), 1e-5, 1e-4);
        }
        assertThrows(IllegalArgumentException.class,
                () -> be.meanPool(be.allocate(DType.F32, 4, 3), 2, 2, new int[] {1, 3}, be.allocate(DType.F32, 2, 3)));
    }

    // ---- embedding and matmul -----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void embedding(int threads) {
        Backend be = backend(threads);
        Random r = random("embedding", threads);
        for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
            int vocab = 1 + size(r);
            int dim = size(r);
            float[] values = randomFloats(r, vocab * dim, 4);
            MemorySegment data = host.allocate(dtype.byteSize((long) vocab * dim), 64);
            for (int i = 0; i < values.length; i++) {
                switch (dtype) {
                    case F32 -> data.setAtIndex(ValueLayout.JAVA_FLOAT, i, values[i]);
                    case F16 -> {
                        short h = Float.floatToFloat16(values[i]);
                        data.setAtIndex(ValueLayout.JAVA_SHORT, i, h);
                        values[i] = Float.float16ToFloat(h);
                    }
                    default -> {
                        short h = (short) (Float.floatToRawIntBits(values[i]) >>> 16);
                        data.setAtIndex(ValueLayout.JAVA_SHORT, i, h);
                        values[i] = Float.intBitsToFloat(h << 16);
                    }
                }
            }
            Tensor table = Tensor.of(dtype, data, vocab, dim);
            int count = 1 + r.nextInt(9);
            int[] ids = new int[count + 2];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt(vocab);
            }
            Tensor out = be.allocate(DType.F32, count, dim);
            be.embedding(table, ids, count, out);
            float[] got = download(be, out);
            for (int i = 0; i < count; i++) {
                for (int c = 0; c < dim; c++) {
                    assertEquals(values[ids[i] * dim + c], got[i * dim + c], dtype + " embedding of id " + ids[i]);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> be.embedding(table, new int[] {vocab}, 1, out));
            assertThrows(IllegalArgumentException.class, () -> be.embedding(table, new int[] {-1}, 1, out));
            assertThrows(IllegalArgumentException.class, () -> be.embedding(table, new int[] {0}, 2, out));
        }
    }

    /** Q8_0 and Q4_0 rows, built by hand from the block layouts {@link DType} documents, decode to d·q. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void embeddingOfQuantizedTables(int threads) {
        Backend be = backend(threads);
        Random r = random("quantizedEmbedding", threads);
        for (DType dtype : new DType[] {DType.Q8_0, DType.Q4_0}) {
            int vocab = 5;
            int dim = 64;
            float[] values = new float[vocab * dim];
            MemorySegment data = host.allocate(dtype.byteSize((long) vocab * dim), 64);
            for (int block = 0; block < vocab * dim / 32; block++) {
                short scale = Float.floatToFloat16(0.01f + r.nextFloat());
                float d = Float.float16ToFloat(scale);
                long at = (long) block * dtype.blockBytes();
                data.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, scale);
                for (int i = 0; i < 32; i++) {
                    if (dtype == DType.Q8_0) {
                        byte q = (byte) (r.nextInt(256) - 128);
                        data.set(ValueLayout.JAVA_BYTE, at + 2 + i, q);
                        values[block * 32 + i] = d * q;
                    } else if (i < 16) {
                        int lo = r.nextInt(16);
                        int hi = r.nextInt(16);
                        data.set(ValueLayout.JAVA_BYTE, at + 2 + i, (byte) (lo | hi << 4));
                        values[block * 32 + i] = d * (lo - 8);
                        values[block * 32 + 16 + i] = d * (hi - 8);
                    }
                }
            }
            Tensor table = Tensor.of(dtype, data, vocab, dim);
            int[] ids = {4, 0, 2, 2};
            Tensor out = be.allocate(DType.F32, ids.length, dim);
            be.embedding(table, ids, ids.length, out);
            float[] got = download(be, out);
            for (int i = 0; i < ids.length; i++) {
                for (int c = 0; c < dim; c++) {
                    assertEquals(values[ids[i] * dim + c], got[i * dim + c], 1e-6f * Math.abs(values[ids[i] * dim + c]),
                            dtype + " embedding of id " + ids[i] + ", element " + c);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void matmulF32BothLayouts(int threads) {
        Backend be = backend(threads);
        Random r = random("matmul", threads);
        for (int round = 0; round < 24; round++) {
            int n = size(r);
            int k = size(r);
            int m = size(r);
            WeightLayout layout = round % 2 == 0 ? WeightLayout.OUT_IN : WeightLayout.IN_OUT;
            float[] x = randomFloats(r, n * k, 2);
            float[] w = randomFloats(r, m * k, 1); // w[o][i] logically
            float[] bias = r.nextBoolean() ? randomFloats(r, m, 1) : null;
            float[] stored = new float[m * k];
            for (int o = 0; o < m; o++) {
                for (int i = 0; i < k; i++) {
                    stored[layout == WeightLayout.OUT_IN ? o * k + i : i * m + o] = w[o * k + i];
                }
            }
            Tensor wt = layout == WeightLayout.OUT_IN ? hostTensor(stored, m, k) : hostTensor(stored, k, m);
            Weight prepared = be.prepareWeight(wt, layout);
            assertEquals(m, prepared.outFeatures());
            assertEquals(k, prepared.inFeatures());
            Tensor out = be.allocate(DType.F32, n, m);
            be.matmul(upload(be, x, n, k), prepared, bias == null ? null : hostTensor(bias, m), out);
            float[] got = download(be, out);
            for (int row = 0; row < n; row++) {
                for (int o = 0; o < m; o++) {
                    double want = bias == null ? 0 : bias[o];
                    double magnitude = 0;
                    for (int i = 0; i < k; i++) {
                        want += (double) x[row * k + i] * w[o * k + i];
                        magnitude += Math.abs((double) x[row * k + i] * w[o * k + i]);
                    }
                    double allowed = (1e-5 * magnitude + 1e-6) * toleranceScale();
                    if (!(Math.abs(got[row * m + o] - want) <= allowed)) {
                        fail("matmul " + layout + " " + n + "x" + k + " by " + m + ": out[" + row + "][" + o + "] is "
                                + got[row * m + o] + ", expected " + want + " (seed " + seed + ")");
                    }
                }
            }
        }
        Weight w = be.prepareWeight(hostTensor(new float[12], 3, 4), WeightLayout.OUT_IN);
        assertThrows(IllegalArgumentException.class,
                () -> be.matmul(be.allocate(DType.F32, 2, 3), w, null, be.allocate(DType.F32, 2, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> be.matmul(be.allocate(DType.F32, 2, 4), w, null, be.allocate(DType.F32, 2, 4)));
        assertThrows(IllegalArgumentException.class,
                () -> be.matmul(be.allocate(DType.F32, 2, 4), w, hostTensor(new float[4], 4), be.allocate(DType.F32, 2, 3)));
    }
}
