package dev.infer4j.kernels.tornadovm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.RopeSpec;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Data stays on the device: weights and parameters are uploaded once, a run of operations moves nothing
 * but its small per-launch parameters, only {@code read} brings values back, and the plan is built once
 * and reused. And when the activations outgrow their device array, the rebuilt plan keeps their values.
 */
class ResidencyTest extends DeviceTestSupport {

    @Test
    void aDecoderLikeStepMovesOnlyWhatIsRead() {
        Random r = random("residency");
        int dim = 64;
        int heads = 4;
        int headDim = dim / heads;
        int ffn = 96;
        int capacity = 16;
        Weight wq = backend.prepareWeight(host(Reference.random(r, dim * dim, 1), dim, dim), WeightLayout.OUT_IN);
        byte[] q8 = Reference.quantizeQ8(Reference.random(r, ffn * dim, 1));
        Tensor upHost = hostBytes(DType.Q8_0, q8, ffn, dim);
        Weight up = backend.prepareWeight(upHost, WeightLayout.OUT_IN);
        assertSame(up, backend.prepareWeight(upHost, WeightLayout.OUT_IN), "a weight is prepared (uploaded) once");
        Weight down = backend.prepareWeight(host(Reference.random(r, dim * ffn, 1), dim, ffn), WeightLayout.OUT_IN);
        Tensor norm = host(Reference.random(r, dim, 1), dim);
        Tensor x = device(Reference.random(r, dim, 1), 1, dim);
        Tensor h = backend.allocate(DType.F32, 1, dim);
        Tensor q = backend.allocate(DType.F32, 1, dim);
        Tensor u = backend.allocate(DType.F32, 1, ffn);
        Tensor keys = backend.allocate(DType.F32, 1, capacity, dim);
        Tensor attn = backend.allocate(DType.F32, 1, dim);
        RopeSpec rope = RopeSpec.of(headDim, 10000f, false);
        float[] out = new float[dim];
        DeviceSession session = backend.session();
        for (int step = 0; step < 4; step++) {
            if (step == 1) {
                // everything is uploaded and compiled by now: from here on only reads may move data
                long uploaded = session.uploadedBytes();
                long downloaded = session.downloadedBytes();
                int builds = session.builds();
                for (int s = 1; s < 4; s++) {
                    step(x, h, q, u, keys, attn, norm, wq, up, down, rope, s, heads, headDim, capacity, out);
                }
                assertEquals(uploaded, session.uploadedBytes(), "bytes uploaded during three steps");
                assertEquals(downloaded + 3L * dim * Float.BYTES, session.downloadedBytes(), "bytes read back: the outputs only");
                assertEquals(builds, session.builds(), "the plan is reused");
                return;
            }
            step(x, h, q, u, keys, attn, norm, wq, up, down, rope, step, heads, headDim, capacity, out);
        }
    }

    private void step(Tensor x, Tensor h, Tensor q, Tensor u, Tensor keys, Tensor attn, Tensor norm, Weight wq, Weight up,
                      Weight down, RopeSpec rope, int position, int heads, int headDim, int capacity, float[] out) {
        backend.rmsNorm(x, norm, 1e-5f, h);
        backend.matmul(h, wq, null, q);
        backend.rope(q, new int[] {position}, rope);
        backend.copyRows(q, 0, keys.reshape(capacity, (long) heads * headDim), position, 1);
        backend.attention(q, keys, keys, attn, new AttentionSpec(heads, heads, headDim, 0.25f, true, 1, 1, capacity,
                new int[] {position + 1}));
        backend.matmul(attn, up, null, u);
        backend.silu(u, u);
        backend.matmul(u, down, null, h);
        backend.add(x, h, x);
        backend.read(x, 0, out, 0, out.length);
    }

    @Test
    void activationsSurviveARebuildWhenTheArenaGrows() {
        try (TornadoBackend own = (TornadoBackend) Backends.create("tornadovm", 1)) {
            float[] v = Reference.random(random("grow"), 1000, 5);
            Tensor first = own.allocate(DType.F32, 10, 100);
            own.write(first, 0, v, 0, v.length);
            own.scale(first, 2f);
            assertEquals(1, own.session().builds());
            // more than the arena holds now: a new, bigger device array and a new plan
            long rows = own.session().activations().current().getSize() / 1000 + 1;
            Tensor second = own.allocate(DType.F32, rows, 1000);
            own.add(second.rowSlice(0, 1), first.reshape(1, 1000), second.rowSlice(0, 1));
            assertEquals(2, own.session().builds());
            float[] want = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                want[i] = 2 * v[i];
            }
            float[] got = new float[1000];
            own.read(first, 0, got, 0, 1000);
            assertArrayEquals(want, got, "values written before the rebuild");
            own.read(second, 0, got, 0, 1000);
            assertArrayEquals(want, got, "a kernel of the new plan read them");
            own.read(second, (rows - 1) * 1000, got, 0, 1000);
            assertArrayEquals(new float[1000], got, "new memory is zero");
        }
    }
}
