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

    /**
     * Work is split by rows and heads, never inside a sum, and horizontal sums use a fixed order, so
     * neither the thread count nor JIT warm-up (interpreted first call, compiled later) changes a bit.
     */
    @Test
    void resultsDependNeitherOnThreadsNorOnWarmUp() {
        java.util.Random r = new java.util.Random(5);
        int tokens = 160;
        int width = 8 * 64;
        float[] x = randomFloats(r, tokens * width, 3);
        float[] kv = randomFloats(r, tokens * 2 * 64, 3);
        float[] w = randomFloats(r, width, 1);
        try (Backend cold = new CpuBackend(1)) {
            float[] first = pipeline(cold, x, kv, w, tokens, width);
            for (int round = 0; round < 20; round++) {
                Backend b = backend(1 + round % 2);
                org.junit.jupiter.api.Assertions.assertArrayEquals(first, pipeline(b, x, kv, w, tokens, width),
                        "round " + round);
            }
        }
    }

    private float[] pipeline(Backend b, float[] x, float[] kv, float[] w, int tokens, int width) {
        Tensor q = upload(b, x, tokens, width);
        Tensor k = upload(b, kv, 1, tokens, 2 * 64);
        Tensor out = b.allocate(DType.F32, tokens, width);
        b.attention(q, k, k, out, new AttentionSpec(8, 2, 64, 0.125f, true, 1, tokens, tokens, new int[] {tokens}));
        // a decode step (one query row group: the direct-scores path)
        b.attention(out.rowSlice(tokens - 1, 1), k, k, q.rowSlice(0, 1),
                new AttentionSpec(8, 2, 64, 0.125f, true, 1, 1, tokens, new int[] {tokens}));
        b.add(out, q.rowSlice(0, 1), out);
        b.layerNorm(out, hostTensor(w, width), null, 1e-5f, out);
        b.rmsNorm(out, hostTensor(w, width), 1e-5f, out);
        b.gelu(out, out);
        b.l2Normalize(out);
        b.softmax(out);
        return download(b, out);
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
