package dev.infer4j.kernels.tornadovm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data movement, elementwise and per-row kernels on the TornadoVM device against double-precision
 * references, over odd row widths (including more columns than a work-group and a single column).
 * Tolerances: moves exact; add and scale one rounding (rtol 1e-6); norms, softmax and activations
 * rtol 1e-5 with atol 1e-6 (float sums over a row, float exp/erf).
 */
class ElementwiseAndNormTest extends DeviceTestSupport {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17, 130, 1001})
    void writeReadAndCopyRowsAreExact(int cols) {
        Random r = random("move" + cols);
        int rows = 5;
        float[] v = Reference.random(r, rows * cols, 10);
        Tensor t = device(v, rows, cols);
        assertArrayEquals(v, values(t));
        float[] part = new float[cols + 2];
        backend.read(t, cols, part, 1, cols);
        for (int c = 0; c < cols; c++) {
            org.junit.jupiter.api.Assertions.assertEquals(v[cols + c], part[1 + c]);
        }
        Tensor other = backend.allocate(DType.F32, rows + 1, cols);
        backend.copyRows(t, 1, other, 2, 3);
        float[] got = values(other);
        for (int i = 0; i < (rows + 1) * cols; i++) {
            int row = i / cols;
            float want = row >= 2 && row < 5 ? v[(row - 1) * cols + i % cols] : 0f;
            org.junit.jupiter.api.Assertions.assertEquals(want, got[i], "element " + i);
        }
        // overlapping copies within one tensor, both directions, as a memmove would
        float[] expect = v.clone();
        System.arraycopy(expect, 0, expect, cols, 3 * cols);
        backend.copyRows(t, 0, t, 1, 3);
        assertArrayEquals(expect, values(t));
        System.arraycopy(expect, 2 * cols, expect, cols, 3 * cols);
        backend.copyRows(t, 2, t, 1, 3);
        assertArrayEquals(expect, values(t));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 1000})
    void addBroadcastAndScale(int cols) {
        Random r = random("add" + cols);
        int rows = 3;
        float[] a = Reference.random(r, rows * cols, 4);
        float[] b = Reference.random(r, rows * cols, 4);
        float[] row = Reference.random(r, cols, 4);
        Tensor ta = device(a, rows, cols);
        Tensor out = backend.allocate(DType.F32, rows, cols);
        backend.add(ta, device(b, rows, cols), out);
        double[] want = new double[rows * cols];
        for (int i = 0; i < want.length; i++) {
            want[i] = a[i] + b[i];
        }
        assertClose("add", want, values(out), 0, 1e-6);
        backend.add(ta, device(row, cols), ta);
        for (int i = 0; i < want.length; i++) {
            want[i] = a[i] + row[i % cols];
        }
        assertClose("add broadcast in place", want, values(ta), 0, 1e-6);
        backend.scale(ta, -0.37f);
        for (int i = 0; i < want.length; i++) {
            want[i] = (float) want[i] * -0.37;
        }
        assertClose("scale", want, values(ta), 0, 1e-6);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 130, 1000, 4099})
    void rmsNormAndLayerNorm(int cols) {
        Random r = random("norm" + cols);
        int rows = 3;
        float[] x = Reference.random(r, rows * cols, 3);
        float[] w = Reference.random(r, cols, 2);
        float[] bias = Reference.random(r, cols, 1);
        float eps = 1e-5f;
        double[] rms = new double[rows * cols];
        double[] ln = new double[rows * cols];
        double[] lnNoBias = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            double sq = 0;
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sq += (double) x[i * cols + c] * x[i * cols + c];
                sum += x[i * cols + c];
            }
            double mean = sum / cols;
            double var = 0;
            for (int c = 0; c < cols; c++) {
                var += (x[i * cols + c] - mean) * (x[i * cols + c] - mean);
            }
            var /= cols;
            for (int c = 0; c < cols; c++) {
                rms[i * cols + c] = x[i * cols + c] / Math.sqrt(sq / cols + eps) * w[c];
                lnNoBias[i * cols + c] = (x[i * cols + c] - mean) / Math.sqrt(var + eps) * w[c];
                ln[i * cols + c] = lnNoBias[i * cols + c] + bias[c];
            }
        }
        Tensor tx = device(x, rows, cols);
        Tensor out = backend.allocate(DType.F32, rows, cols);
        backend.rmsNorm(tx, host(w, cols), eps, out);
        assertClose("rmsNorm", rms, values(out), 1e-6, 1e-5);
        backend.layerNorm(tx, host(w, cols), null, eps, out);
        assertClose("layerNorm without bias", lnNoBias, values(out), 1e-6, 1e-5);
        backend.layerNorm(tx, host(w, cols), host(bias, cols), eps, tx);
        assertClose("layerNorm in place", ln, values(tx), 1e-6, 1e-5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 130, 4099})
    void softmaxAndL2Normalize(int cols) {
        Random r = random("softmax" + cols);
        int rows = 3;
        float[] x = Reference.random(r, rows * cols, 8);
        double[] soft = new double[rows * cols];
        double[] l2 = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double sq = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[i * cols + c]);
                sq += (double) x[i * cols + c] * x[i * cols + c];
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(x[i * cols + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                soft[i * cols + c] = Math.exp(x[i * cols + c] - max) / sum;
                l2[i * cols + c] = x[i * cols + c] / Math.max(Math.sqrt(sq), 1e-12);
            }
        }
        Tensor t = device(x, rows, cols);
        backend.softmax(t);
        assertClose("softmax", soft, values(t), 1e-6, 1e-5);
        Tensor u = device(x, rows, cols);
        backend.l2Normalize(u);
        assertClose("l2Normalize", l2, values(u), 1e-6, 1e-5);
        Tensor zero = backend.allocate(DType.F32, 2, cols);
        backend.l2Normalize(zero);
        assertClose("l2Normalize of zeros", new double[2 * cols], values(zero), 0, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 17, 1000})
    void activations(int cols) {
        Random r = random("act" + cols);
        int rows = 3;
        float[] x = Reference.random(r, rows * cols, 6);
        float[] up = Reference.random(r, rows * cols, 3);
        check("gelu", x, Reference::gelu, (in, out) -> backend.gelu(in, out), rows, cols);
        check("geluTanh", x, Reference::geluTanh, (in, out) -> backend.geluTanh(in, out), rows, cols);
        check("silu", x, Reference::silu, (in, out) -> backend.silu(in, out), rows, cols);
        Tensor gate = device(x, rows, cols);
        backend.swiglu(gate, device(up, rows, cols), gate);
        double[] want = new double[rows * cols];
        for (int i = 0; i < want.length; i++) {
            want[i] = Reference.silu(x[i]) * up[i];
        }
        assertClose("swiglu in place", want, values(gate), 1e-6, 1e-5);
    }

    private void check(String name, float[] x, DoubleUnaryOperator f, java.util.function.BiConsumer<Tensor, Tensor> op,
                       int rows, int cols) {
        double[] want = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            want[i] = f.applyAsDouble(x[i]);
        }
        Tensor in = device(x, rows, cols);
        Tensor out = backend.allocate(DType.F32, rows, cols);
        op.accept(in, out);
        assertClose(name, want, values(out), 1e-6, 1e-5);
        op.accept(in, in);
        assertClose(name + " in place", want, values(in), 1e-6, 1e-5);
    }

    @ParameterizedTest
    @ValueSource(ints = {3})
    void rejectsMismatchedShapes(int cols) {
        Tensor a = backend.allocate(DType.F32, 2, cols);
        assertThrows(IllegalArgumentException.class, () -> backend.add(a, backend.allocate(DType.F32, 2), a));
        assertThrows(IllegalArgumentException.class, () -> backend.rmsNorm(a, host(new float[cols + 1], cols + 1), 1e-5f, a));
        assertThrows(IllegalArgumentException.class, () -> backend.read(a, 5, new float[4], 0, 4));
        assertThrows(IllegalArgumentException.class, () -> backend.copyRows(a, 1, a, 0, 2));
    }
}
