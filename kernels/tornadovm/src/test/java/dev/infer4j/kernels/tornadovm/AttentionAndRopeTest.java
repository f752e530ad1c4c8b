package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.RopeSpec;
import dev.infer4j.kernels.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RoPE (adjacent and NeoX pairs, partial rotation, frequency factors, position scaling, positions up to
 * 10⁴) and attention (causal and padded, grouped-query heads, contexts longer than one key block, head
 * dimensions from 8 to 256) and mean pooling, against double-precision references. Tolerances: RoPE
 * {@code 1e-5 · |x|}; attention and pooling rtol 1e-4, atol 1e-5.
 */
class AttentionAndRopeTest extends DeviceTestSupport {

    @ParameterizedTest
    @CsvSource({"false, 8, 8, 1", "true, 8, 8, 1", "false, 64, 32, 0.25", "true, 130, 130, 1"})
    void ropeRotatesEachHead(boolean neox, int headDim, int rotaryDim, float positionScale) {
        Random r = random("rope" + neox + headDim);
        int tokens = 5;
        int heads = 3;
        float[] x = Reference.random(r, tokens * heads * headDim, 2);
        int[] positions = {0, 1, 7, 999, 10_000};
        float[] factors = new float[rotaryDim / 2];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = 1 + i % 3;
        }
        float theta = 500_000f;
        double[] want = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            want[i] = x[i];
        }
        int half = rotaryDim / 2;
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    double angle = positions[t] * (double) positionScale * Math.pow(theta, -2.0 * i / rotaryDim) / factors[i];
                    int a = neox ? base + i : base + 2 * i;
                    int b = neox ? a + half : a + 1;
                    want[a] = x[a] * Math.cos(angle) - x[b] * Math.sin(angle);
                    want[b] = x[a] * Math.sin(angle) + x[b] * Math.cos(angle);
                }
            }
        }
        Tensor t = device(x, tokens, heads * headDim);
        backend.rope(t, positions, new RopeSpec(headDim, rotaryDim, theta, neox, host(factors, factors.length), positionScale));
        float[] got = values(t);
        for (int i = 0; i < x.length; i++) {
            assertClose("rope", new double[] {want[i]}, new float[] {got[i]}, 1e-5 * Math.max(1, Math.abs(x[i])), 0);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "false, 2, 4, 2, 8, 5, 9, '5 9'",        // encoder batch with padding, GQA 2:1
        "true, 2, 4, 4, 16, 3, 70, '70 40'",      // causal prefill over more than one key block
        "true, 1, 8, 2, 64, 1, 150, '150'",       // causal decode, long context
        "false, 1, 2, 2, 256, 4, 4, '4'",         // the largest head dimension
        "true, 3, 3, 1, 80, 2, 8, '8 2 5'"})      // multi-query, three sequences
    void attentionMatchesSoftmaxOfScores(boolean causal, int batch, int heads, int kvHeads, int headDim, int queryLength,
                                         int capacity, String lengths) {
        Random r = random("attn" + causal + heads + headDim + capacity);
        int[] keyLengths = java.util.Arrays.stream(lengths.split(" ")).mapToInt(Integer::parseInt).toArray();
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] q = Reference.random(r, batch * queryLength * heads * headDim, 1);
        float[] k = Reference.random(r, batch * capacity * kvHeads * headDim, 1);
        float[] v = Reference.random(r, batch * capacity * kvHeads * headDim, 1);
        AttentionSpec spec = new AttentionSpec(heads, kvHeads, headDim, scale, causal, batch, queryLength, capacity, keyLengths);
        Tensor out = backend.allocate(DType.F32, (long) batch * queryLength, (long) heads * headDim);
        backend.attention(device(q, (long) batch * queryLength, (long) heads * headDim),
                device(k, batch, capacity, (long) kvHeads * headDim), device(v, batch, capacity, (long) kvHeads * headDim), out, spec);
        float[] got = values(out);
        int group = heads / kvHeads;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < queryLength; j++) {
                int visible = causal ? keyLengths[b] - queryLength + j + 1 : keyLengths[b];
                if (!causal && j >= keyLengths[b]) {
                    continue; // a padded query row: unspecified
                }
                for (int h = 0; h < heads; h++) {
                    int qRow = ((b * queryLength + j) * heads + h) * headDim;
                    double[] scores = new double[visible];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int key = 0; key < visible; key++) {
                        int kRow = ((b * capacity + key) * kvHeads + h / group) * headDim;
                        double s = 0;
                        for (int d = 0; d < headDim; d++) {
                            s += (double) q[qRow + d] * k[kRow + d];
                        }
                        scores[key] = s * scale;
                        max = Math.max(max, scores[key]);
                    }
                    double sum = 0;
                    for (int key = 0; key < visible; key++) {
                        scores[key] = Math.exp(scores[key] - max);
                        sum += scores[key];
                    }
                    double[] want = new double[headDim];
                    float[] actual = new float[headDim];
                    for (int d = 0; d < headDim; d++) {
                        for (int key = 0; key < visible; key++) {
                            want[d] += scores[key] / sum * v[((b * capacity + key) * kvHeads + h / group) * headDim + d];
                        }
                        actual[d] = got[qRow + d];
                    }
                    assertClose("attention b" + b + " q" + j + " h" + h, want, actual, 1e-5, 1e-4);
                }
            }
        }
    }

    @Test
    void meanPoolAveragesTheValidRows() {
        Random r = random("pool");
        int batch = 3;
        int seq = 5;
        int dim = 19;
        int[] lengths = {5, 1, 3};
        float[] x = Reference.random(r, batch * seq * dim, 3);
        Tensor out = backend.allocate(DType.F32, batch, dim);
        backend.meanPool(device(x, (long) batch * seq, dim), batch, seq, lengths, out);
        double[] want = new double[batch * dim];
        for (int b = 0; b < batch; b++) {
            for (int d = 0; d < dim; d++) {
                double s = 0;
                for (int i = 0; i < lengths[b]; i++) {
                    s += x[(b * seq + i) * dim + d];
                }
                want[b * dim + d] = s / lengths[b];
            }
        }
        assertClose("meanPool", want, values(out), 1e-5, 1e-4);
    }
}
