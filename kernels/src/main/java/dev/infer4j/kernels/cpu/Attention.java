package dev.infer4j.kernels.cpu;

import static dev.infer4j.kernels.cpu.VectorMath.F;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Scaled dot-product attention with causal and padding masks and grouped-query heads, parallel over
 * (sequence, head). Masked keys are never read. Softmax is two-pass over a per-worker score buffer
 * (allocated once, grown when a longer context arrives).
 */
final class Attention implements WorkerPool.RangeTask {
    private final WorkerPool pool;
    private final float[][] scores;
    private final float[][] query;
    private final float[][] accumulator;
    private MemorySegment q;
    private MemorySegment k;
    private MemorySegment v;
    private MemorySegment out;
    private AttentionSpec spec;
    private int[] keyLengths = new int[0];

    Attention(WorkerPool pool) {
        this.pool = pool;
        int n = pool.threads();
        scores = new float[n][0];
        query = new float[n][0];
        accumulator = new float[n][0];
    }

    synchronized void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("attention: spec is null");
        }
        long queryRows = (long) spec.batch() * spec.queryLength();
        long keyRows = (long) spec.batch() * spec.keyCapacity();
        long qWidth = (long) spec.heads() * spec.headDim();
        long kvWidth = (long) spec.kvHeads() * spec.headDim();
        Checks.matrix("attention", "q", q, queryRows, qWidth);
        Checks.matrix("attention", "k", k, keyRows, kvWidth);
        Checks.matrix("attention", "v", v, keyRows, kvWidth);
        Checks.matrix("attention", "out", out, queryRows, qWidth);
        if (keyLengths.length < spec.batch()) {
            keyLengths = new int[spec.batch()];
        }
        System.arraycopy(spec.keyLengths(), 0, keyLengths, 0, spec.batch()); // the caller may reuse its array
        this.q = q.segment();
        this.k = k.segment();
        this.v = v.segment();
        this.out = out.segment();
        this.spec = spec;
        try {
            long work = (long) spec.queryLength() * spec.keyCapacity() * spec.headDim() * 2;
            pool.parallelForWork(spec.batch() * spec.heads(), work, this);
        } finally {
            this.q = null;
            this.k = null;
            this.v = null;
            this.out = null;
            this.spec = null;
        }
    }

    @Override
    public void run(int worker, int from, int to) {
        int dim = spec.headDim();
        float[] s = scores[worker];
        if (s.length < spec.keyCapacity()) {
            s = new float[spec.keyCapacity()];
            scores[worker] = s;
        }
        float[] qv = query[worker];
        float[] acc = accumulator[worker];
        if (qv.length < dim) {
            qv = new float[dim];
            acc = new float[dim];
            query[worker] = qv;
            accumulator[worker] = acc;
        }
        for (int task = from; task < to; task++) {
            int b = task / spec.heads();
            int h = task % spec.heads();
            head(b, h, s, qv, acc);
        }
    }

    private void head(int b, int h, float[] s, float[] qv, float[] acc) {
        int dim = spec.headDim();
        int lq = spec.queryLength();
        int kvHead = h / (spec.heads() / spec.kvHeads());
        long qRowBytes = 4L * spec.heads() * dim;
        long kvRowBytes = 4L * spec.kvHeads() * dim;
        long kvBase = (long) b * spec.keyCapacity() * kvRowBytes + 4L * kvHead * dim;
        int length = keyLengths[b];
        float scale = spec.scale();
        for (int j = 0; j < lq; j++) {
            long qOff = (long) (b * lq + j) * qRowBytes + 4L * h * dim;
            int visible = spec.causal() ? length - lq + j + 1 : length;
            if (visible <= 0) {
                Arrays.fill(acc, 0, dim, 0f);
                MemorySegment.copy(acc, 0, out, java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, qOff, dim);
                continue;
            }
            MemorySegment.copy(q, java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, qOff, qv, 0, dim);
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < visible; t++) {
                float score = scale * dot(qv, k, kvBase + t * kvRowBytes, dim);
                s[t] = score;
                max = Math.max(max, score);
            }
            float sum = expShifted(s, visible, max);
            Arrays.fill(acc, 0, dim, 0f);
            for (int t = 0; t < visible; t++) {
                axpy(s[t], v, kvBase + t * kvRowBytes, acc, dim);
            }
            float inv = 1f / sum;
            for (int d = 0; d < dim; d++) {
                acc[d] *= inv;
            }
            MemorySegment.copy(acc, 0, out, java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, qOff, dim);
        }
    }

    /** s[t] = exp(s[t] - max) for t < n; returns the sum. */
    private static float expShifted(float[] s, int n, float max) {
        FloatVector sum = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, s, i).sub(max));
            e.intoArray(s, i);
            sum = sum.add(e);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, s, i, m).sub(max));
            e.intoArray(s, i, m);
            sum = sum.add(e, m);
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }

    private static float dot(float[] a, MemorySegment seg, long off, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, a, i).fma(VectorMath.load(seg, off + 4L * i), acc);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            acc = FloatVector.fromArray(F, a, i, m).fma(VectorMath.load(seg, off + 4L * i, m), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    private static void axpy(float p, MemorySegment seg, long off, float[] acc, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            VectorMath.load(seg, off + 4L * i).fma(FloatVector.broadcast(F, p), FloatVector.fromArray(F, acc, i)).intoArray(acc, i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            VectorMath.load(seg, off + 4L * i, m).fma(FloatVector.broadcast(F, p), FloatVector.fromArray(F, acc, i, m)).intoArray(acc, i, m);
        }
    }
}
