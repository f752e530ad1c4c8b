package dev.infer4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sequence-level part of the backend contract: RoPE variants, attention (causal and padding masks,
 * grouped-query heads, long contexts) and mean pooling, against straightforward double-precision code.
 * Run through {@link BackendContractTest}.
 */
public abstract class SequenceOpsContract extends BackendTestSupport {

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
}
