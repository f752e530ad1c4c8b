package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.RopeSpec;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.tornadovm.kernels.AttentionKernels;
import dev.infer4j.kernels.tornadovm.kernels.Params;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The device launches of the sequence operations: RoPE, attention and mean pooling.
 * Each method checks its operands, fills its kernel's parameters and launches it on the session's current plan;
 * {@link TornadoBackend} calls them under its lock.
 */
final class SequenceLaunches {
    private final DeviceSession session;
    private final Operands operands;

    SequenceLaunches(DeviceSession session, Operands operands) {
        this.session = session;
        this.operands = operands;
    }

    void rope(Tensor x, int[] positions, RopeSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("rope: spec is null");
        }
        long xo = operands.f32("rope", "x", x);
        long tokens = x.dim(0);
        long width = x.elementCount() / tokens;
        if (width % spec.headDim() != 0) {
            throw new IllegalArgumentException("rope: rows of " + width + " values are not whole heads of " + spec.headDim()
                    + " (x " + x + ")");
        }
        if (positions == null || positions.length < tokens) {
            throw new IllegalArgumentException("rope: " + tokens + " tokens need as many positions, got "
                    + (positions == null ? "null" : positions.length));
        }
        if (spec.freqFactors() != null) {
            operands.hostVector("rope", "freqFactors", spec.freqFactors(), spec.rotaryDim() / 2);
        }
        int frequencies = session.ropeFrequencies(spec);
        DevicePlan plan = session.plan();
        int heads = Math.toIntExact(width / spec.headDim());
        for (int from = 0; from < tokens; from += Params.LIST_CAPACITY) {
            int n = (int) Math.min(Params.LIST_CAPACITY, tokens - from);
            IntArray p = plan.params(Kernel.ROPE);
            p.set(0, n);
            p.set(1, heads);
            p.set(2, spec.headDim());
            p.set(3, spec.rotaryDim());
            p.set(4, spec.neox() ? 1 : 0);
            p.set(5, Math.toIntExact(xo + from * width));
            p.set(6, frequencies);
            plan.list(Kernel.ROPE, positions, from, n);
            plan.floats(Kernel.ROPE).set(0, spec.positionScale());
            plan.launch(Kernel.ROPE, (long) n * heads * (spec.rotaryDim() / 2));
        }
    }

    void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("attention: spec is null");
        }
        long qo = operands.f32("attention", "q", q);
        long ko = operands.f32("attention", "k", k);
        long vo = operands.f32("attention", "v", v);
        long oo = operands.f32("attention", "out", out);
        long queryRow = (long) spec.heads() * spec.headDim();
        long kvPerSequence = (long) spec.keyCapacity() * spec.kvHeads() * spec.headDim();
        long queries = (long) spec.batch() * spec.queryLength();
        if (q.elementCount() != queries * queryRow || out.elementCount() != queries * queryRow) {
            throw new IllegalArgumentException("attention: q " + q + " and out " + out + " must hold " + queries + " rows of "
                    + queryRow);
        }
        if (k.elementCount() != spec.batch() * kvPerSequence || v.elementCount() != spec.batch() * kvPerSequence) {
            throw new IllegalArgumentException("attention: k " + k + " and v " + v + " must be [" + spec.batch() + ", "
                    + spec.keyCapacity() + ", " + spec.kvHeads() * spec.headDim() + "]");
        }
        if (spec.headDim() > AttentionKernels.MAX_HEAD_DIM) {
            throw new IllegalArgumentException("attention: head dimension " + spec.headDim()
                    + " exceeds the TornadoVM kernel's limit of " + AttentionKernels.MAX_HEAD_DIM);
        }
        DevicePlan plan = session.plan();
        for (int from = 0; from < spec.batch(); from += Params.LIST_CAPACITY) {
            int sequences = Math.min(Params.LIST_CAPACITY, spec.batch() - from);
            long firstQuery = (long) from * spec.queryLength() * queryRow;
            IntArray p = plan.params(Kernel.ATTENTION);
            p.set(0, spec.heads());
            p.set(1, spec.kvHeads());
            p.set(2, spec.headDim());
            p.set(3, spec.causal() ? 1 : 0);
            p.set(4, spec.queryLength());
            p.set(5, spec.keyCapacity());
            p.set(6, Math.toIntExact(qo + firstQuery));
            p.set(7, Math.toIntExact(ko + from * kvPerSequence));
            p.set(8, Math.toIntExact(vo + from * kvPerSequence));
            p.set(9, Math.toIntExact(oo + firstQuery));
            plan.list(Kernel.ATTENTION, spec.keyLengths(), from, sequences);
            plan.floats(Kernel.ATTENTION).set(0, spec.scale());
            plan.launchGroups(Kernel.ATTENTION, (long) sequences * spec.queryLength() * spec.heads());
        }
    }

    void meanPool(Tensor x, int batch, int seqLength, int[] lengths, Tensor out) {
        long xo = operands.f32("meanPool", "x", x);
        long oo = operands.f32("meanPool", "out", out);
        long dim = x.columns();
        if (batch <= 0 || seqLength <= 0 || x.rows() != (long) batch * seqLength || out.rows() != batch || out.columns() != dim) {
            throw new IllegalArgumentException("meanPool: x " + x + " is not " + batch + " sequences of " + seqLength
                    + " rows, or out " + out + " is not [" + batch + ", " + dim + "]");
        }
        if (lengths == null || lengths.length < batch) {
            throw new IllegalArgumentException("meanPool: " + batch + " sequences need as many lengths");
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] <= 0 || lengths[b] > seqLength) {
                throw new IllegalArgumentException("meanPool: sequence " + b + " has length " + lengths[b]
                        + "; lengths must be in [1, " + seqLength + "]");
            }
        }
        DevicePlan plan = session.plan();
        for (int from = 0; from < batch; from += Params.LIST_CAPACITY) {
            int n = Math.min(Params.LIST_CAPACITY, batch - from);
            IntArray p = plan.params(Kernel.MEAN_POOL);
            p.set(0, n);
            p.set(1, seqLength);
            p.set(2, Math.toIntExact(dim));
            p.set(3, Math.toIntExact(xo + (long) from * seqLength * dim));
            p.set(4, Math.toIntExact(oo + from * dim));
            plan.list(Kernel.MEAN_POOL, lengths, from, n);
            plan.launch(Kernel.MEAN_POOL, n * dim);
        }
    }
}
