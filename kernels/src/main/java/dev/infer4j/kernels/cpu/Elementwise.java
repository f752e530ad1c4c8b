package dev.infer4j.kernels.cpu;

import static dev.infer4j.kernels.cpu.VectorMath.F;
import static dev.infer4j.kernels.cpu.VectorMath.ORDER;

import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Element-by-element operations: add (with row broadcast), scale and the activations. The loop is
 * split into blocks of {@value #BLOCK} elements (rows for add) handed to the worker pool; the call's
 * operands live in fields so a call allocates nothing. One call at a time (methods are synchronized).
 */
final class Elementwise implements WorkerPool.RangeTask {
    private enum Op {
        ADD("add"), SCALE("scale"), GELU("gelu"), GELU_TANH("geluTanh"), SILU("silu"), SWIGLU("swiglu");

        final String label; // for messages, without allocating per call

        Op(String label) {
            this.label = label;
        }
    }

    private static final int BLOCK = 4096;

    private final WorkerPool pool;
    private Op op;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment out;
    private long count;
    private int columns;
    private boolean broadcast;
    private float factor;

    Elementwise(WorkerPool pool) {
        this.pool = pool;
    }

    synchronized void add(Tensor a, Tensor b, Tensor out) {
        Checks.f32("add", "a", a);
        Checks.f32("add", "b", b);
        Checks.matrix("add", "out", out, a.rows(), a.columns());
        boolean bcast;
        if (b.elementCount() == a.elementCount() && b.columns() == a.columns()) {
            bcast = false;
        } else if (b.elementCount() == a.columns()) {
            bcast = true;
        } else {
            throw new IllegalArgumentException("add: b must have a's shape " + a + " or be one row of "
                    + a.columns() + ", got " + b);
        }
        int rows = Checks.toInt("add", "rows", a.rows());
        set(Op.ADD, a.segment(), b.segment(), out.segment(), a.elementCount());
        this.columns = Checks.toInt("add", "columns", a.columns());
        this.broadcast = bcast;
        try {
            pool.parallelForWork(rows, columns, this);
        } finally {
            clear();
        }
    }

    synchronized void scale(Tensor x, float factor) {
        Checks.f32("scale", "x", x);
        this.factor = factor;
        unary(Op.SCALE, x, x);
    }

    synchronized void gelu(Tensor x, Tensor out) {
        unary(Op.GELU, x, out);
    }

    synchronized void geluTanh(Tensor x, Tensor out) {
        unary(Op.GELU_TANH, x, out);
    }

    synchronized void silu(Tensor x, Tensor out) {
        unary(Op.SILU, x, out);
    }

    synchronized void swiglu(Tensor gate, Tensor up, Tensor out) {
        String name = "swiglu";
        Checks.f32(name, "gate", gate);
        Checks.matrix(name, "up", up, gate.rows(), gate.columns());
        Checks.matrix(name, "out", out, gate.rows(), gate.columns());
        set(Op.SWIGLU, gate.segment(), up.segment(), out.segment(), gate.elementCount());
        runBlocks(16);
    }

    private void unary(Op op, Tensor x, Tensor out) {
        String name = op.label;
        Checks.f32(name, "x", x);
        Checks.matrix(name, "out", out, x.rows(), x.columns());
        set(op, x.segment(), null, out.segment(), x.elementCount());
        runBlocks(op == Op.SCALE ? 1 : 16);
    }

    private void set(Op op, MemorySegment a, MemorySegment b, MemorySegment out, long count) {
        this.op = op;
        this.a = a;
        this.b = b;
        this.out = out;
        this.count = count;
    }

    private void runBlocks(int costPerElement) {
        try {
            int blocks = Checks.toInt(op.label, "blocks", (count + BLOCK - 1) / BLOCK);
            pool.parallelForWork(blocks, (long) BLOCK * costPerElement, this);
        } finally {
            clear();
        }
    }

    private void clear() {
        a = null;
        b = null;
        out = null;
    }

    @Override
    public void run(int worker, int from, int to) {
        if (op == Op.ADD) {
            long rowBytes = 4L * columns;
            for (int r = from; r < to; r++) {
                addRange(r * rowBytes, broadcast ? 0 : r * rowBytes, r * rowBytes, columns);
            }
            return;
        }
        long start = (long) from * BLOCK;
        int n = (int) (Math.min(count, (long) to * BLOCK) - start);
        long offset = start * 4;
        switch (op) {
            case SCALE -> scaleRange(offset, n);
            case GELU -> geluRange(offset, n);
            case GELU_TANH -> geluTanhRange(offset, n);
            case SILU -> siluRange(offset, n);
            case SWIGLU -> swigluRange(offset, n);
            default -> throw new IllegalStateException(op.name());
        }
    }

    private void addRange(long aOff, long bOff, long outOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            long d = 4L * i;
            VectorMath.load(a, aOff + d).add(VectorMath.load(b, bOff + d)).intoMemorySegment(out, outOff + d, ORDER);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long d = 4L * i;
            VectorMath.load(a, aOff + d, m).add(VectorMath.load(b, bOff + d, m)).intoMemorySegment(out, outOff + d, ORDER, m);
        }
    }

    private void scaleRange(long off, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            long d = off + 4L * i;
            VectorMath.load(a, d).mul(factor).intoMemorySegment(out, d, ORDER);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long d = off + 4L * i;
            VectorMath.load(a, d, m).mul(factor).intoMemorySegment(out, d, ORDER, m);
        }
    }

    // One loop per activation, so that no vector crosses a call that the JIT might not inline.

    private void siluRange(long off, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            long d = off + 4L * i;
            VectorMath.silu(VectorMath.load(a, d)).intoMemorySegment(out, d, ORDER);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long d = off + 4L * i;
            VectorMath.silu(VectorMath.load(a, d, m)).intoMemorySegment(out, d, ORDER, m);
        }
    }

    private void swigluRange(long off, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            long d = off + 4L * i;
            VectorMath.silu(VectorMath.load(a, d)).mul(VectorMath.load(b, d)).intoMemorySegment(out, d, ORDER);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long d = off + 4L * i;
            VectorMath.silu(VectorMath.load(a, d, m)).mul(VectorMath.load(b, d, m)).intoMemorySegment(out, d, ORDER, m);
        }
    }

    private void geluTanhRange(long off, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            long d = off + 4L * i;
            VectorMath.geluTanh(VectorMath.load(a, d)).intoMemorySegment(out, d, ORDER);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long d = off + 4L * i;
            VectorMath.geluTanh(VectorMath.load(a, d, m)).intoMemorySegment(out, d, ORDER, m);
        }
    }

    private void geluRange(long off, int n) {
        VectorMath.gelu(a, off, out, off, n);
    }
}
