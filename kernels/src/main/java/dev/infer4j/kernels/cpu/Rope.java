package dev.infer4j.kernels.cpu;

import static dev.infer4j.kernels.cpu.VectorMath.F;
import static dev.infer4j.kernels.cpu.VectorMath.ORDER;

import dev.infer4j.kernels.RopeSpec;
import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * Rotary position embedding, in place, parallel over tokens. Pair {@code i} of a head turns by
 * {@code position · positionScale · theta^(-2i/rotaryDim) / freqFactor[i]}; the angle is formed in
 * double precision (positions reach 10⁵ and more) and its cosine and sine are computed once per token
 * and shared by all heads.
 */
final class Rope implements WorkerPool.RangeTask {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Exchanges the two lanes of each adjacent pair. */
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(F, i -> i ^ 1);

    private final WorkerPool pool;
    /** Per worker: cosines then sines of the current token's pairs. */
    private final float[][] cosSin;
    private double[] inverseFrequencies = new double[0];
    private MemorySegment x;
    private int[] positions;
    private int width;
    private int heads;
    private int headDim;
    private int pairs;
    private boolean neox;
    private double positionScale;

    Rope(WorkerPool pool) {
        this.pool = pool;
        this.cosSin = new float[pool.threads()][0];
    }

    synchronized void rope(Tensor x, int[] positions, RopeSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("rope: spec is null");
        }
        Checks.f32("rope", "x", x);
        long tokens = x.dim(0);
        long rowWidth = x.elementCount() / tokens;
        if (rowWidth % spec.headDim() != 0) {
            throw new IllegalArgumentException("rope: rows of " + rowWidth + " values are not whole heads of "
                    + spec.headDim() + " (x " + x + ")");
        }
        int n = Checks.toInt("rope", "tokens", tokens);
        Checks.array("rope", "positions", positions, n);
        int half = spec.rotaryDim() / 2;
        if (spec.freqFactors() != null) {
            Checks.vector("rope", "freqFactors", spec.freqFactors(), half);
        }
        if (inverseFrequencies.length < half) {
            inverseFrequencies = new double[half];
        }
        for (int i = 0; i < half; i++) {
            double f = Math.pow(spec.theta(), -2.0 * i / spec.rotaryDim());
            if (spec.freqFactors() != null) {
                f /= spec.freqFactors().segment().getAtIndex(FLOAT, i);
            }
            inverseFrequencies[i] = f;
        }
        this.x = x.segment();
        this.positions = positions;
        this.width = Checks.toInt("rope", "row width", rowWidth);
        this.headDim = spec.headDim();
        this.heads = width / headDim;
        this.pairs = half;
        this.neox = spec.neox();
        this.positionScale = spec.positionScale();
        try {
            pool.parallelForWork(n, 4L * width, this);
        } finally {
            this.x = null;
            this.positions = null;
        }
    }

    @Override
    public void run(int worker, int from, int to) {
        int padded = (2 * pairs + F.length() - 1) / F.length() * F.length();
        float[] cs = cosSin[worker];
        if (cs.length < 2 * padded) {
            cs = new float[2 * padded];
            cosSin[worker] = cs;
        }
        for (int t = from; t < to; t++) {
            double p = positions[t] * positionScale;
            if (neox) {
                // cs = [cos_0 .. cos_{pairs-1}, sin_0 .. sin_{pairs-1}] at 0 and padded
                for (int i = 0; i < pairs; i++) {
                    double angle = p * inverseFrequencies[i];
                    cs[i] = (float) Math.cos(angle);
                    cs[padded + i] = (float) Math.sin(angle);
                }
            } else {
                // per element: cos of its pair, and the sine signed for x·cos + swap(x)·sin
                for (int i = 0; i < pairs; i++) {
                    double angle = p * inverseFrequencies[i];
                    float c = (float) Math.cos(angle);
                    float sn = (float) Math.sin(angle);
                    cs[2 * i] = c;
                    cs[2 * i + 1] = c;
                    cs[padded + 2 * i] = -sn;
                    cs[padded + 2 * i + 1] = sn;
                }
            }
            long row = 4L * t * width;
            for (int h = 0; h < heads; h++) {
                long head = row + 4L * h * headDim;
                if (neox) {
                    rotateHalves(head, cs, padded);
                } else {
                    rotatePairs(head, cs, padded);
                }
            }
        }
    }

    /** (x[i], x[i + pairs]) turned by angle i, for i < pairs. */
    private void rotateHalves(long head, float[] cs, int sinOffset) {
        long second = head + 4L * pairs;
        for (int i = 0; i < pairs; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, pairs);
            FloatVector a = FloatVector.fromMemorySegment(F, x, head + 4L * i, ORDER, m);
            FloatVector b = FloatVector.fromMemorySegment(F, x, second + 4L * i, ORDER, m);
            FloatVector c = FloatVector.fromArray(F, cs, i);
            FloatVector s = FloatVector.fromArray(F, cs, sinOffset + i);
            a.mul(c).sub(b.mul(s)).intoMemorySegment(x, head + 4L * i, ORDER, m);
            b.mul(c).add(a.mul(s)).intoMemorySegment(x, second + 4L * i, ORDER, m);
        }
    }

    /** (x[2i], x[2i+1]) turned by angle i: x·cos + swap(x)·(-sin, sin). */
    private void rotatePairs(long head, float[] cs, int sinOffset) {
        int n = 2 * pairs;
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromMemorySegment(F, x, head + 4L * i, ORDER, m);
            FloatVector swapped = v.rearrange(SWAP_PAIRS);
            v.mul(FloatVector.fromArray(F, cs, i))
                    .add(swapped.mul(FloatVector.fromArray(F, cs, sinOffset + i)))
                    .intoMemorySegment(x, head + 4L * i, ORDER, m);
        }
    }
}
