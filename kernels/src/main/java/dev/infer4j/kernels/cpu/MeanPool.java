package dev.infer4j.kernels.cpu;

import static dev.infer4j.kernels.cpu.VectorMath.F;
import static dev.infer4j.kernels.cpu.VectorMath.ORDER;

import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/** Mean of the valid rows of each sequence, parallel over sequences. */
final class MeanPool implements WorkerPool.RangeTask {
    private final WorkerPool pool;
    private MemorySegment x;
    private MemorySegment out;
    private int[] lengths = new int[0];
    private int seqLength;
    private int dim;

    MeanPool(WorkerPool pool) {
        this.pool = pool;
    }

    synchronized void meanPool(Tensor x, int batch, int seqLength, int[] lengths, Tensor out) {
        if (batch <= 0 || seqLength <= 0) {
            throw new IllegalArgumentException("meanPool: batch (" + batch + ") and seqLength (" + seqLength
                    + ") must be positive");
        }
        Checks.f32("meanPool", "x", x);
        Checks.matrix("meanPool", "x", x, (long) batch * seqLength, x.columns());
        Checks.matrix("meanPool", "out", out, batch, x.columns());
        Checks.array("meanPool", "lengths", lengths, batch);
        for (int b = 0; b < batch; b++) {
            if (lengths[b] <= 0 || lengths[b] > seqLength) {
                throw new IllegalArgumentException("meanPool: sequence " + b + " has length " + lengths[b]
                        + "; lengths must be in [1, " + seqLength + "]");
            }
        }
        if (this.lengths.length < batch) {
            this.lengths = new int[batch];
        }
        System.arraycopy(lengths, 0, this.lengths, 0, batch);
        this.x = x.segment();
        this.out = out.segment();
        this.seqLength = seqLength;
        this.dim = Checks.toInt("meanPool", "dim", x.columns());
        try {
            pool.parallelForWork(batch, (long) seqLength * dim, this);
        } finally {
            this.x = null;
            this.out = null;
        }
    }

    @Override
    public void run(int worker, int from, int to) {
        long rowBytes = 4L * dim;
        for (int b = from; b < to; b++) {
            int n = lengths[b];
            float inv = 1f / n;
            long first = (long) b * seqLength * rowBytes;
            long dst = b * rowBytes;
            int i = 0;
            for (int bound = F.loopBound(dim); i < bound; i += F.length()) {
                FloatVector acc = FloatVector.zero(F);
                for (int r = 0; r < n; r++) {
                    acc = acc.add(VectorMath.load(x, first + r * rowBytes + 4L * i));
                }
                acc.mul(inv).intoMemorySegment(out, dst + 4L * i, ORDER);
            }
            if (i < dim) {
                VectorMask<Float> m = F.indexInRange(i, dim);
                FloatVector acc = FloatVector.zero(F);
                for (int r = 0; r < n; r++) {
                    acc = acc.add(VectorMath.load(x, first + r * rowBytes + 4L * i, m));
                }
                acc.mul(inv).intoMemorySegment(out, dst + 4L * i, ORDER, m);
            }
        }
    }
}
