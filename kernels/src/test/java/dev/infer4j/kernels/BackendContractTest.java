package dev.infer4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link Backend} must meet, checked op by op against plain double-precision
 * reference code written here, on random inputs of odd sizes (not multiples of any vector width),
 * in-place calls, masks and grouped-query heads, with one and two threads. A backend's test extends
 * this class and implements {@link #createBackend}; the rope, attention and mean pooling checks live
 * in {@link SequenceOpsContract}, which this class extends; only the {@link Backend} interface is used
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
public abstract class BackendContractTest extends SequenceOpsContract {

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
        Tensor cache = b.allocate(DType.F32, 6, 4);
        assertThrows(IllegalArgumentException.class, () -> b.scatterRows(t, cache, new int[] {0, 6}, 2));
        assertThrows(IllegalArgumentException.class, () -> b.scatterRows(t, cache, new int[] {0}, 2));
        assertThrows(IllegalArgumentException.class, () -> b.scatterRows(t, b.allocate(DType.F32, 6, 5), new int[] {0}, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void scatterRowsPutsEachRowWhereItsIndexSays(int threads) {
        Backend b = backend(threads);
        Random r = random("scatter", threads);
        int cols = 37;
        float[] values = randomFloats(r, 5 * cols, 1);
        Tensor src = b.allocate(DType.F32, 5, cols);
        b.write(src, 0, values, 0, values.length);
        Tensor dst = b.allocate(DType.F32, 9, cols);
        int[] rows = {8, 0, 3, 4, 6, 99};   // five rows used; the sixth entry is beyond count and ignored
        b.scatterRows(src, dst, rows, 5);
        float[] got = download(b, dst);
        for (int i = 0; i < 5; i++) {
            for (int c = 0; c < cols; c++) {
                assertEquals(values[i * cols + c], got[rows[i] * cols + c], "row " + i + " column " + c);
            }
        }
        for (int row : new int[] {1, 2, 5, 7}) {
            for (int c = 0; c < cols; c++) {
                assertEquals(0f, got[row * cols + c], "untouched row " + row);
            }
        }
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
                                + got[row * m + o] + ", expected " + want + " (seed " + seed() + ")");
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

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void matmulGeluIsMatmulThenGelu(int threads) {
        Backend be = backend(threads);
        Random r = random("matmulGelu", threads);
        int[][] shapes = {{1, 37, 101}, {3, 64, 50}, {16, 130, 97}, {131, 20, 49}};
        for (int[] shape : shapes) {
            int n = shape[0];
            int k = shape[1];
            int m = shape[2];
            Weight w = be.prepareWeight(hostTensor(randomFloats(r, m * k, 1), m, k), WeightLayout.OUT_IN);
            Tensor bias = hostTensor(randomFloats(r, m, 1), m);
            Tensor x = upload(be, randomFloats(r, n * k, 1), n, k);
            Tensor plain = be.allocate(DType.F32, n, m);
            be.matmul(x, w, bias, plain);
            be.gelu(plain, plain);
            Tensor fused = be.allocate(DType.F32, n, m);
            be.matmulGelu(x, w, bias, fused);
            assertArrayEquals(download(be, plain), download(be, fused), n + "x" + k + " by " + m + " (seed " + seed() + ")");
        }
    }
}
