package dev.infer4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.BackendContractTest;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import org.junit.jupiter.api.Test;

/** The CPU backend against the shared backend contract, plus what is specific to it. */
class CpuBackendTest extends BackendContractTest {
    @Override
    protected Backend createBackend(int threads) {
        return new CpuBackend(threads);
    }

    @Test
    void registeredAsCpu() {
        try (Backend b = Backends.create("cpu", 2)) {
            assertEquals("cpu", b.name());
            assertEquals(CpuBackend.class, b.getClass());
        }
    }

    /** Work is split by rows and heads, never inside a sum, so the thread count cannot change a result. */
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        java.util.Random r = new java.util.Random(5);
        int tokens = 300;
        int width = 8 * 64;
        float[] x = randomFloats(r, tokens * width, 3);
        float[] kv = randomFloats(r, tokens * 2 * 64, 3);
        float[] w = randomFloats(r, width, 1);
        float[][] results = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            Backend b = backend(threads);
            Tensor q = upload(b, x, tokens, width);
            Tensor k = upload(b, kv, 1, tokens, 2 * 64);
            Tensor out = b.allocate(DType.F32, tokens, width);
            b.attention(q, k, k, out, new AttentionSpec(8, 2, 64, 0.125f, true, 1, tokens, tokens, new int[] {tokens}));
            b.layerNorm(out, hostTensor(w, width), null, 1e-5f, out);
            b.gelu(out, out);
            b.softmax(out);
            results[threads - 1] = download(b, out);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(results[0], results[1]);
    }

    @Test
    void closeReleasesTensors() {
        Backend b = new CpuBackend(1);
        var t = b.allocate(DType.F32, 4);
        b.close();
        assertThrows(IllegalStateException.class, () -> t.segment().get(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0));
        assertThrows(IllegalStateException.class, () -> b.allocate(DType.F32, 4));
    }
}
