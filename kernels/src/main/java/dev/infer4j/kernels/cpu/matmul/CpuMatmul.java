package dev.infer4j.kernels.cpu.matmul;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.kernels.cpu.WorkerPool;
import dev.infer4j.kernels.dtype.Dequantizer;
import java.lang.foreign.ValueLayout;

/**
 * Matrix multiplication for the CPU backend: {@code out = x · Wᵀ + bias}.
 * PLACEHOLDER (lead): a plain, correct loop so other modules can run end to end; the kernels-matmul
 * work replaces it with packed GEMM and per-dtype GEMV kernels behind the same two methods.
 */
public final class CpuMatmul {
    private CpuMatmul() {
    }

    /** A weight as stored, with its layout. */
    record PlainWeight(Tensor tensor, WeightLayout layout, long outFeatures, long inFeatures) implements Weight {
        @Override
        public DType dtype() {
            return tensor.dtype();
        }
    }

    public static Weight prepare(Tensor weight, WeightLayout layout) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("a matmul weight must be 2-D, got " + weight);
        }
        return layout == WeightLayout.OUT_IN
                ? new PlainWeight(weight, layout, weight.dim(0), weight.dim(1))
                : new PlainWeight(weight, layout, weight.dim(1), weight.dim(0));
    }

    public static void matmul(WorkerPool pool, Tensor x, Weight weight, Tensor bias, Tensor out) {
        PlainWeight w = (PlainWeight) weight;
        int n = Math.toIntExact(x.rows());
        int k = Math.toIntExact(w.inFeatures());
        int m = Math.toIntExact(w.outFeatures());
        if (x.columns() != k || out.rows() != n || out.columns() != m) {
            throw new IllegalArgumentException("matmul shapes: x " + x + ", weight " + m + "x" + k + ", out " + out);
        }
        Tensor t = w.tensor();
        pool.parallelFor(m, (worker, from, to) -> {
            float[] row = new float[k];
            float[] xs = new float[k];
            for (int j = from; j < to; j++) {
                if (w.layout() == WeightLayout.OUT_IN) {
                    Dequantizer.dequantize(t.dtype(), t.segment(), j * t.rowBytes(), row, 0, k);
                } else {
                    for (int i = 0; i < k; i++) {
                        row[i] = t.segment().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, (long) i * m + j);
                    }
                }
                float b = bias == null ? 0f : bias.segment().getAtIndex(ValueLayout.JAVA_FLOAT, j);
                for (int r = 0; r < n; r++) {
                    MemorySegmentRows.read(x, r, xs);
                    double s = 0;
                    for (int i = 0; i < k; i++) {
                        s += (double) xs[i] * row[i];
                    }
                    out.segment().setAtIndex(ValueLayout.JAVA_FLOAT, (long) r * m + j, (float) s + b);
                }
            }
        });
    }

    private static final class MemorySegmentRows {
        static void read(Tensor x, int row, float[] dst) {
            java.lang.foreign.MemorySegment.copy(x.segment(), ValueLayout.JAVA_FLOAT, row * x.rowBytes(), dst, 0, dst.length);
        }
    }
}
