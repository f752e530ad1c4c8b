package dev.infer4j.kernels.cpu;

import static dev.infer4j.kernels.cpu.VectorMath.F;
import static dev.infer4j.kernels.cpu.VectorMath.ORDER;

import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Row-wise normalisations: RMSNorm, LayerNorm, softmax and L2 normalisation, parallel over rows.
 * Sums run in float vector lanes (one partial sum per lane, which keeps rounding error small);
 * LayerNorm takes the variance in a second pass around the mean rather than as {@code E[x²] - mean²}.
 */
final class Norms implements WorkerPool.RangeTask {
    private enum Op {
        RMS("rmsNorm"), LAYER("layerNorm"), SOFTMAX("softmax"), L2("l2Normalize");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    private final WorkerPool pool;
    private Op op;
    private MemorySegment x;
    private MemorySegment weight;
    private MemorySegment bias;
    private MemorySegment out;
    private int columns;
    private float eps;

    Norms(WorkerPool pool) {
        this.pool = pool;
    }

    synchronized void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        Checks.f32("rmsNorm", "x", x);
        Checks.vector("rmsNorm", "weight", weight, x.columns());
        Checks.matrix("rmsNorm", "out", out, x.rows(), x.columns());
        run(Op.RMS, x, weight, null, eps, out);
    }

    synchronized void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        Checks.f32("layerNorm", "x", x);
        Checks.vector("layerNorm", "weight", weight, x.columns());
        if (bias != null) {
            Checks.vector("layerNorm", "bias", bias, x.columns());
        }
        Checks.matrix("layerNorm", "out", out, x.rows(), x.columns());
        run(Op.LAYER, x, weight, bias, eps, out);
    }

    synchronized void softmax(Tensor x) {
        Checks.f32("softmax", "x", x);
        run(Op.SOFTMAX, x, null, null, 0, x);
    }

    synchronized void l2Normalize(Tensor x) {
        Checks.f32("l2Normalize", "x", x);
        run(Op.L2, x, null, null, 0, x);
    }

    private void run(Op op, Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        if (!(eps >= 0) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException(op.label + ": eps must be finite and non-negative, got " + eps);
        }
        this.op = op;
        this.x = x.segment();
        this.weight = weight == null ? null : weight.segment();
        this.bias = bias == null ? null : bias.segment();
        this.out = out.segment();
        this.columns = Checks.toInt(op.label, "columns", x.columns());
        this.eps = eps;
        try {
            pool.parallelForWork(Checks.toInt(op.label, "rows", x.rows()), 4L * columns, this);
        } finally {
            this.x = null;
            this.weight = null;
            this.bias = null;
            this.out = null;
        }
    }

    @Override
    public void run(int worker, int from, int to) {
        long rowBytes = 4L * columns;
        for (int r = from; r < to; r++) {
            long off = r * rowBytes;
            switch (op) {
                case RMS -> rms(off);
                case LAYER -> layer(off);
                case SOFTMAX -> softmax(off);
                case L2 -> l2(off);
            }
        }
    }

    private void rms(long off) {
        float inv = (float) (1 / Math.sqrt(sumOfSquares(x, off, 0f) / columns + eps));
        scaleShift(off, 0f, inv);
    }

    private void layer(long off) {
        float mean = sum(x, off) / columns;
        float inv = (float) (1 / Math.sqrt(sumOfSquares(x, off, mean) / columns + eps));
        scaleShift(off, mean, inv);
    }

    private void l2(long off) {
        double norm = Math.sqrt(sumOfSquares(x, off, 0f));
        float inv = (float) (1 / Math.max(norm, 1e-12));
        int n = columns;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            long d = off + 4L * i;
            VectorMath.load(x, d).mul(inv).intoMemorySegment(x, d, ORDER);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long d = off + 4L * i;
            VectorMath.load(x, d, m).mul(inv).intoMemorySegment(x, d, ORDER, m);
        }
    }

    /** out = (x - shift) * inv * weight (+ bias). */
    private void scaleShift(long off, float shift, float inv) {
        int n = columns;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            long d = 4L * i;
            FloatVector v = VectorMath.load(x, off + d).sub(shift).mul(inv).mul(VectorMath.load(weight, d));
            if (bias != null) {
                v = v.add(VectorMath.load(bias, d));
            }
            v.intoMemorySegment(out, off + d, ORDER);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long d = 4L * i;
            FloatVector v = VectorMath.load(x, off + d, m).sub(shift).mul(inv).mul(VectorMath.load(weight, d, m));
            if (bias != null) {
                v = v.add(VectorMath.load(bias, d, m));
            }
            v.intoMemorySegment(out, off + d, ORDER, m);
        }
    }

    private void softmax(long off) {
        int n = columns;
        float max = max(x, off, n);
        float inv = 1f / VectorMath.expInPlace(x, off, n, max);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            long d = off + 4L * i;
            VectorMath.load(x, d).mul(inv).intoMemorySegment(x, d, ORDER);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long d = off + 4L * i;
            VectorMath.load(x, d, m).mul(inv).intoMemorySegment(x, d, ORDER, m);
        }
    }

    static float max(MemorySegment s, long off, int n) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = acc.max(VectorMath.load(s, off + 4L * i));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, s.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, off + 4L * i));
        }
        return m;
    }

    private float sum(MemorySegment s, long off) {
        int n = columns;
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = acc.add(VectorMath.load(s, off + 4L * i));
        }
        if (i < n) {
            acc = acc.add(VectorMath.load(s, off + 4L * i, F.indexInRange(i, n)));
        }
        return VectorMath.sum(acc);
    }

    /** Σ (x - shift)². */
    private float sumOfSquares(MemorySegment s, long off, float shift) {
        int n = columns;
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = VectorMath.load(s, off + 4L * i).sub(shift);
            acc = v.fma(v, acc);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = VectorMath.load(s, off + 4L * i, m).sub(shift, m);
            acc = v.fma(v, acc);
        }
        return VectorMath.sum(acc);
    }
}
