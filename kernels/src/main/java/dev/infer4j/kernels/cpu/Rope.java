package dev.infer4j.kernels.cpu;

import dev.infer4j.kernels.RopeSpec;
import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Rotary position embedding, in place, parallel over tokens. Pair {@code i} of a head turns by
 * {@code position · positionScale · theta^(-2i/rotaryDim) / freqFactor[i]}; the angle is formed in
 * double precision (positions reach 10⁵ and more) and its cosine and sine are computed once per token
 * and shared by all heads.
 */
final class Rope implements WorkerPool.RangeTask {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

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
        float[] cs = cosSin[worker];
        if (cs.length < 2 * pairs) {
            cs = new float[2 * pairs];
            cosSin[worker] = cs;
        }
        int step = neox ? 1 : 2;
        int partner = neox ? pairs : 1;
        for (int t = from; t < to; t++) {
            double p = positions[t] * positionScale;
            for (int i = 0; i < pairs; i++) {
                double angle = p * inverseFrequencies[i];
                cs[i] = (float) Math.cos(angle);
                cs[pairs + i] = (float) Math.sin(angle);
            }
            long row = 4L * t * width;
            for (int h = 0; h < heads; h++) {
                long head = row + 4L * h * headDim;
                for (int i = 0; i < pairs; i++) {
                    long o0 = head + 4L * i * step;
                    long o1 = o0 + 4L * partner;
                    float x0 = x.get(FLOAT, o0);
                    float x1 = x.get(FLOAT, o1);
                    float c = cs[i];
                    float s = cs[pairs + i];
                    x.set(FLOAT, o0, x0 * c - x1 * s);
                    x.set(FLOAT, o1, x0 * s + x1 * c);
                }
            }
        }
    }
}
