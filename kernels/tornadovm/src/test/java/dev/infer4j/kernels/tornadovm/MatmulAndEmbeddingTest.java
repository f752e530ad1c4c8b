package dev.infer4j.kernels.tornadovm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.kernels.dtype.Dequantizer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GEMV ({@code n = 1}) and tiled GEMM ({@code n > 1}) for every resident weight format, and embedding
 * gathers from tables in those formats, against double-precision products of the same (dequantized)
 * weights. Tolerance per output: {@code 1e-5 · Σ|x·w| + 1e-6}, the float rounding a dot product may make.
 * Sizes are odd on purpose: not multiples of the 16-wide tiles or the 128-wide GEMV groups.
 */
class MatmulAndEmbeddingTest extends DeviceTestSupport {

    @ParameterizedTest
    @CsvSource({"1, 1, 1", "1, 37, 130", "3, 17, 33", "17, 33, 65", "40, 70, 300"})
    void f32BothLayoutsWithAndWithoutBias(int n, int m, int k) {
        Random r = random("f32" + n + "," + m + "," + k);
        float[] x = Reference.random(r, n * k, 1);
        float[] w = Reference.random(r, m * k, 1);
        float[] bias = Reference.random(r, m, 1);
        float[] wT = new float[k * m];
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < k; c++) {
                wT[c * m + j] = w[j * k + c];
            }
        }
        Tensor tx = device(x, n, k);
        Tensor out = backend.allocate(DType.F32, n, m);
        Weight outIn = backend.prepareWeight(host(w, m, k), WeightLayout.OUT_IN);
        Weight inOut = backend.prepareWeight(host(wT, k, m), WeightLayout.IN_OUT);
        double[] mag = Reference.matmulMagnitude(x, w, n, m, k);
        backend.matmul(tx, outIn, null, out);
        assertMatmul("OUT_IN", Reference.matmul(x, w, null, n, m, k), mag, values(out));
        backend.matmul(tx, inOut, host(bias, m), out);
        assertMatmul("IN_OUT with bias", Reference.matmul(x, w, bias, n, m, k), mag, values(out));
    }

    @ParameterizedTest
    @CsvSource({"1, 5, 32", "1, 37, 320", "3, 17, 64", "33, 20, 96"})
    void q8AndQ4DequantizeInTheKernel(int n, int m, int k) {
        Random r = random("q" + n + "," + m + "," + k);
        float[] x = Reference.random(r, n * k, 1);
        float[] w = Reference.random(r, m * k, 1);
        Tensor tx = device(x, n, k);
        Tensor out = backend.allocate(DType.F32, n, m);
        byte[] q8 = Reference.quantizeQ8(w);
        float[] w8 = Reference.dequantize(q8, 34, m * k);
        backend.matmul(tx, backend.prepareWeight(hostBytes(DType.Q8_0, q8, m, k), WeightLayout.OUT_IN), null, out);
        assertMatmul("Q8_0", Reference.matmul(x, w8, null, n, m, k), Reference.matmulMagnitude(x, w8, n, m, k), values(out));
        byte[] q4 = Reference.quantizeQ4(w);
        float[] w4 = Reference.dequantize(q4, 18, m * k);
        float[] bias = Reference.random(r, m, 1);
        backend.matmul(tx, backend.prepareWeight(hostBytes(DType.Q4_0, q4, m, k), WeightLayout.OUT_IN), host(bias, m), out);
        assertMatmul("Q4_0", Reference.matmul(x, w4, bias, n, m, k), Reference.matmulMagnitude(x, w4, n, m, k), values(out));
    }

    @ParameterizedTest
    @CsvSource({"1, 9, 40", "5, 9, 40"})
    void f16Weights(int n, int m, int k) {
        Random r = random("f16" + n);
        float[] x = Reference.random(r, n * k, 1);
        float[] w = Reference.random(r, m * k, 1);
        float[] wh = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            wh[i] = Float.float16ToFloat(Float.floatToFloat16(w[i]));
        }
        Tensor out = backend.allocate(DType.F32, n, m);
        backend.matmul(device(x, n, k), backend.prepareWeight(hostHalves(w, m, k), WeightLayout.OUT_IN), null, out);
        assertMatmul("F16", Reference.matmul(x, wh, null, n, m, k), Reference.matmulMagnitude(x, wh, n, m, k), values(out));
    }

    /**
     * Q4_K, Q6_K and BF16 are dequantized to F32 at upload: random blocks (with finite scales), decoded by the
     * kernels module's {@link Dequantizer} for the reference, through GEMV, GEMM and a gather.
     */
    @ParameterizedTest
    @CsvSource({"Q4_K, 1", "Q4_K, 5", "Q6_K, 1", "Q6_K, 5", "BF16, 3"})
    void kQuantsAndBf16AreWidenedAtUpload(DType dtype, int n) {
        Random r = random("k" + dtype + n);
        int m = 9;
        int k = 512;
        byte[] bytes = new byte[Math.toIntExact(dtype.byteSize((long) m * k))];
        r.nextBytes(bytes);
        for (int b = 0; b < bytes.length / dtype.blockBytes(); b++) {
            int at = b * dtype.blockBytes();
            switch (dtype) {
                case Q4_K -> {   // d and dmin: the block's first two halves
                    putHalf(bytes, at, 0.01f + r.nextFloat() * 0.01f);
                    putHalf(bytes, at + 2, r.nextFloat() * 0.01f);
                }
                case Q6_K -> putHalf(bytes, at + 208, 0.001f + r.nextFloat() * 0.001f);   // d: the block's last half
                default -> bytes[at + 1] = (byte) ((bytes[at + 1] & 0x80) | 0x3C);   // BF16: sign, exponent near 2^-7
            }
        }
        Tensor host = hostBytes(dtype, bytes, m, k);
        float[] w = new float[m * k];
        Dequantizer.dequantize(dtype, host.segment(), 0, w, 0, w.length);
        float[] x = Reference.random(r, n * k, 1);
        Tensor out = backend.allocate(DType.F32, n, m);
        backend.matmul(device(x, n, k), backend.prepareWeight(host, WeightLayout.OUT_IN), null, out);
        assertMatmul(dtype.toString(), Reference.matmul(x, w, null, n, m, k), Reference.matmulMagnitude(x, w, n, m, k), values(out));
        int[] ids = {m - 1, 0, 4};
        Tensor rows = backend.allocate(DType.F32, ids.length, k);
        checkGather(dtype + " gather", w, host, ids, rows, k);
    }

    private static void putHalf(byte[] bytes, int at, float value) {
        short h = Float.floatToFloat16(value);
        bytes[at] = (byte) h;
        bytes[at + 1] = (byte) (h >> 8);
    }

    @ParameterizedTest
    @CsvSource({"7, 64", "50, 96"})
    void embeddingGathersFromEveryFormat(int rows, int dim) {
        Random r = random("emb" + rows);
        float[] table = Reference.random(r, rows * dim, 2);
        int[] ids = {rows - 1, 0, 3, 3, rows / 2};
        Tensor out = backend.allocate(DType.F32, ids.length, dim);
        checkGather("F32", table, host(table, rows, dim), ids, out, dim);
        float[] halves = new float[table.length];
        for (int i = 0; i < table.length; i++) {
            halves[i] = Float.float16ToFloat(Float.floatToFloat16(table[i]));
        }
        checkGather("F16", halves, hostHalves(table, rows, dim), ids, out, dim);
        byte[] q8 = Reference.quantizeQ8(table);
        checkGather("Q8_0", Reference.dequantize(q8, 34, table.length), hostBytes(DType.Q8_0, q8, rows, dim), ids, out, dim);
        byte[] q4 = Reference.quantizeQ4(table);
        checkGather("Q4_0", Reference.dequantize(q4, 18, table.length), hostBytes(DType.Q4_0, q4, rows, dim), ids, out, dim);
        assertThrows(IllegalArgumentException.class, () -> backend.embedding(host(table, rows, dim), new int[] {rows}, 1,
                backend.allocate(DType.F32, 1, dim)));
    }

    private void checkGather(String what, float[] decoded, Tensor table, int[] ids, Tensor out, int dim) {
        backend.embedding(table, ids, ids.length, out);
        float[] want = new float[ids.length * dim];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(decoded, ids[i] * dim, want, i * dim, dim);
        }
        assertArrayEquals(want, values(out), what);
    }

    private static void assertMatmul(String what, double[] want, double[] magnitude, float[] got) {
        for (int i = 0; i < want.length; i++) {
            double tol = 1e-5 * magnitude[i] + 1e-6;
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                org.junit.jupiter.api.Assertions.fail(what + ": element " + i + " is " + got[i] + ", expected " + want[i] + " ± " + tol);
            }
        }
    }
}
