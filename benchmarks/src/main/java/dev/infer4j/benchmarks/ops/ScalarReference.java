package dev.infer4j.benchmarks.ops;

/**
 * Plain scalar Java versions of the benchmarked ops on {@code float[]}, the baseline each benchmark's
 * figure is divided by (measured in the same run, on the same machine).
 */
final class ScalarReference {
    private ScalarReference() {
    }

    /** Attention over [batch * lq, heads * d] queries and [batch, cap, kvHeads * d] keys/values; keys 0..len-1 visible. */
    static void attention(float[] q, float[] k, float[] v, float[] out, float[] scores, int batch, int lq, int cap,
                          int len, int heads, int kvHeads, int d, float scale, boolean causal) {
        int qw = heads * d;
        int kw = kvHeads * d;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int g = h / (heads / kvHeads);
                for (int j = 0; j < lq; j++) {
                    int visible = causal ? len - lq + j + 1 : len;
                    int qo = (b * lq + j) * qw + h * d;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int t = 0; t < visible; t++) {
                        int ko = (b * cap + t) * kw + g * d;
                        float s = 0;
                        for (int i = 0; i < d; i++) {
                            s += q[qo + i] * k[ko + i];
                        }
                        scores[t] = s * scale;
                        max = Math.max(max, scores[t]);
                    }
                    float sum = 0;
                    for (int t = 0; t < visible; t++) {
                        scores[t] = (float) Math.exp(scores[t] - max);
                        sum += scores[t];
                    }
                    for (int i = 0; i < d; i++) {
                        out[qo + i] = 0;
                    }
                    for (int t = 0; t < visible; t++) {
                        int vo = (b * cap + t) * kw + g * d;
                        float p = scores[t] / sum;
                        for (int i = 0; i < d; i++) {
                            out[qo + i] += p * v[vo + i];
                        }
                    }
                }
            }
        }
    }

    static void rmsNorm(float[] x, float[] w, float eps, float[] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            float ss = 0;
            for (int c = 0; c < cols; c++) {
                ss += x[r * cols + c] * x[r * cols + c];
            }
            float inv = (float) (1 / Math.sqrt(ss / cols + eps));
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = x[r * cols + c] * inv * w[c];
            }
        }
    }

    static void layerNorm(float[] x, float[] w, float[] bias, float eps, float[] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            float mean = 0;
            for (int c = 0; c < cols; c++) {
                mean += x[r * cols + c];
            }
            mean /= cols;
            float var = 0;
            for (int c = 0; c < cols; c++) {
                float dx = x[r * cols + c] - mean;
                var += dx * dx;
            }
            float inv = (float) (1 / Math.sqrt(var / cols + eps));
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = (x[r * cols + c] - mean) * inv * w[c] + bias[c];
            }
        }
    }

    static void softmax(float[] x, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[r * cols + c]);
            }
            float sum = 0;
            for (int c = 0; c < cols; c++) {
                x[r * cols + c] = (float) Math.exp(x[r * cols + c] - max);
                sum += x[r * cols + c];
            }
            for (int c = 0; c < cols; c++) {
                x[r * cols + c] /= sum;
            }
        }
    }

    static void gelu(float[] x, float[] out) {
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            out[i] = (float) (0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
        }
    }
}
