package dev.infer4j.models.llama;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.gguf.GgufFile;
import java.lang.foreign.ValueLayout;

/**
 * A deliberately plain, double-precision Llama forward pass written straight from the papers' equations, used
 * as the oracle for synthetic files (F32 weights only). It recomputes everything for the whole sequence and
 * returns the logits of the last position. Independent of {@link LlamaModel}: it reads tensors by name and
 * takes its hyper-parameters from the test, not from {@link LlamaConfig}.
 */
final class NaiveLlama {
    record Params(int dim, int layers, int heads, int kvHeads, int ffn, double eps, double theta, boolean neox,
                  float[] freqFactors, double positionScale, boolean fusedQkv, boolean fusedGateUp, boolean qkvBias) {
    }

    private final GgufFile file;
    private final Params p;

    NaiveLlama(GgufFile file, Params p) {
        this.file = file;
        this.p = p;
    }

    private double[][] matrix(String name) {
        Tensor t = file.tensor(name);
        if (t.dtype() != DType.F32) {
            throw new IllegalArgumentException("the naive oracle reads F32 only: " + name);
        }
        int rows = (int) t.dim(0);
        int cols = (int) t.dim(1);
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = t.segment().getAtIndex(ValueLayout.JAVA_FLOAT, (long) r * cols + c);
            }
        }
        return m;
    }

    private double[] vector(String name) {
        Tensor t = file.tensor(name);
        double[] v = new double[(int) t.elementCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.segment().getAtIndex(ValueLayout.JAVA_FLOAT, i);
        }
        return v;
    }

    private static double[] times(double[][] w, double[] x, int fromRow, int rows) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < x.length; c++) {
                s += w[fromRow + r][c] * x[c];
            }
            y[r] = s;
        }
        return y;
    }

    private double[] rmsNorm(double[] x, double[] w) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double inv = 1 / Math.sqrt(ss / x.length + p.eps());
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * inv * w[i];
        }
        return y;
    }

    private void rope(double[] v, int heads, int headDim, int position) {
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                double freq = Math.pow(p.theta(), -2.0 * i / headDim) / (p.freqFactors() == null ? 1 : p.freqFactors()[i]);
                double angle = position * p.positionScale() * freq;
                int a = h * headDim + (p.neox() ? i : 2 * i);
                int b = p.neox() ? a + half : a + 1;
                double x0 = v[a];
                double x1 = v[b];
                v[a] = x0 * Math.cos(angle) - x1 * Math.sin(angle);
                v[b] = x0 * Math.sin(angle) + x1 * Math.cos(angle);
            }
        }
    }

    float[] lastLogits(int[] tokens) {
        int n = tokens.length;
        int dim = p.dim();
        int hd = dim / p.heads();
        int qDim = p.heads() * hd;
        int kvDim = p.kvHeads() * hd;
        double[][] embd = matrix("token_embd.weight");
        double[][] x = new double[n][];
        for (int t = 0; t < n; t++) {
            x[t] = embd[tokens[t]].clone();
        }
        for (int l = 0; l < p.layers(); l++) {
            String b = "blk." + l + ".";
            double[] attnNorm = vector(b + "attn_norm.weight");
            double[][] wq;
            double[][] wk;
            double[][] wv;
            int qFrom = 0;
            int kFrom = 0;
            int vFrom = 0;
            if (p.fusedQkv()) {
                wq = wk = wv = matrix(b + "attn_qkv.weight");
                kFrom = qDim;
                vFrom = qDim + kvDim;
            } else {
                wq = matrix(b + "attn_q.weight");
                wk = matrix(b + "attn_k.weight");
                wv = matrix(b + "attn_v.weight");
            }
            double[][] q = new double[n][];
            double[][] k = new double[n][];
            double[][] v = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] h = rmsNorm(x[t], attnNorm);
                q[t] = times(wq, h, qFrom, qDim);
                k[t] = times(wk, h, kFrom, kvDim);
                v[t] = times(wv, h, vFrom, kvDim);
                if (p.qkvBias()) {
                    add(q[t], vector(b + "attn_q.bias"));
                    add(k[t], vector(b + "attn_k.bias"));
                    add(v[t], vector(b + "attn_v.bias"));
                }
                rope(q[t], p.heads(), hd, t);
                rope(k[t], p.kvHeads(), hd, t);
            }
            double[][] wo = matrix(b + "attn_output.weight");
            int group = p.heads() / p.kvHeads();
            for (int t = 0; t < n; t++) {
                double[] out = new double[qDim];
                for (int h = 0; h < p.heads(); h++) {
                    int kvh = h / group;
                    double[] score = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        double dot = 0;
                        for (int i = 0; i < hd; i++) {
                            dot += q[t][h * hd + i] * k[s][kvh * hd + i];
                        }
                        score[s] = dot / Math.sqrt(hd);
                        max = Math.max(max, score[s]);
                    }
                    double sum = 0;
                    for (int s = 0; s <= t; s++) {
                        score[s] = Math.exp(score[s] - max);
                        sum += score[s];
                    }
                    for (int s = 0; s <= t; s++) {
                        for (int i = 0; i < hd; i++) {
                            out[h * hd + i] += score[s] / sum * v[s][kvh * hd + i];
                        }
                    }
                }
                add(x[t], times(wo, out, 0, dim));
            }
            double[] ffnNorm = vector(b + "ffn_norm.weight");
            double[][] gate;
            double[][] up;
            int upFrom = 0;
            if (p.fusedGateUp()) {
                gate = up = matrix(b + "ffn_up.weight");
                upFrom = p.ffn();
            } else {
                gate = matrix(b + "ffn_gate.weight");
                up = matrix(b + "ffn_up.weight");
            }
            double[][] down = matrix(b + "ffn_down.weight");
            for (int t = 0; t < n; t++) {
                double[] h = rmsNorm(x[t], ffnNorm);
                double[] g = times(gate, h, 0, p.ffn());
                double[] u = times(up, h, upFrom, p.ffn());
                for (int i = 0; i < g.length; i++) {
                    g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
                }
                add(x[t], times(down, g, 0, dim));
            }
        }
        double[] last = rmsNorm(x[n - 1], vector("output_norm.weight"));
        double[][] out = file.find("output.weight") == null ? embd : matrix("output.weight");
        double[] logits = times(out, last, 0, out.length);
        float[] r = new float[logits.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) logits[i];
        }
        return r;
    }

    private static void add(double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
    }
}
