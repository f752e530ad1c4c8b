package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.Tensor;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The device launches of the element and row operations: add, scale, the norms, softmax and the activations.
 * Each method checks its operands, fills its kernel's parameters and launches it on the session's current plan;
 * {@link TornadoBackend} calls them under its lock.
 */
final class ElementwiseLaunches {
    private final DeviceSession session;
    private final Operands operands;

    ElementwiseLaunches(DeviceSession session, Operands operands) {
        this.session = session;
        this.operands = operands;
    }

    void add(Tensor a, Tensor b, Tensor out) {
        long ao = operands.f32("add", "a", a);
        long bo = operands.f32("add", "b", b);
        long oo = operands.f32("add", "out", out);
        long n = a.elementCount();
        boolean broadcast = b.elementCount() != n && b.elementCount() == a.columns();
        if (out.elementCount() != n || (b.elementCount() != n && !broadcast)) {
            throw new IllegalArgumentException("add: a " + a + ", b " + b + " and out " + out + " do not fit (b must match a or be one row)");
        }
        DevicePlan plan = session.plan();
        IntArray p = plan.params(Kernel.ADD);
        p.set(0, Math.toIntExact(n));
        p.set(1, Math.toIntExact(ao));
        p.set(2, Math.toIntExact(bo));
        p.set(3, Math.toIntExact(oo));
        p.set(4, Math.toIntExact(b.elementCount()));
        plan.launch(Kernel.ADD, n);
    }

    void scale(Tensor x, float factor) {
        long xo = operands.f32("scale", "x", x);
        DevicePlan plan = session.plan();
        IntArray p = plan.params(Kernel.SCALE);
        p.set(0, Math.toIntExact(x.elementCount()));
        p.set(1, Math.toIntExact(xo));
        plan.floats(Kernel.SCALE).set(0, factor);
        plan.launch(Kernel.SCALE, x.elementCount());
    }

    void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        RowOp r = rows("rmsNorm", x, out);
        int w = session.vector(operands.hostVector("rmsNorm", "weight", weight, x.columns()));
        DevicePlan plan = session.plan();
        IntArray p = plan.params(Kernel.RMS_NORM);
        r.set(p);
        p.set(3, w);
        p.set(4, r.out);
        plan.floats(Kernel.RMS_NORM).set(0, eps);
        plan.launchGroups(Kernel.RMS_NORM, r.rows);
    }

    void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        RowOp r = rows("layerNorm", x, out);
        int w = session.vector(operands.hostVector("layerNorm", "weight", weight, x.columns()));
        int b = bias == null ? -1 : session.vector(operands.hostVector("layerNorm", "bias", bias, x.columns()));
        DevicePlan plan = session.plan();
        IntArray p = plan.params(Kernel.LAYER_NORM);
        r.set(p);
        p.set(3, w);
        p.set(4, b);
        p.set(5, r.out);
        plan.floats(Kernel.LAYER_NORM).set(0, eps);
        plan.launchGroups(Kernel.LAYER_NORM, r.rows);
    }

    void softmax(Tensor x) {
        RowOp r = rows("softmax", x, x);
        DevicePlan plan = session.plan();
        r.set(plan.params(Kernel.SOFTMAX));
        plan.launchGroups(Kernel.SOFTMAX, r.rows);
    }

    void l2Normalize(Tensor x) {
        RowOp r = rows("l2Normalize", x, x);
        DevicePlan plan = session.plan();
        r.set(plan.params(Kernel.L2_NORMALIZE));
        plan.launchGroups(Kernel.L2_NORMALIZE, r.rows);
    }

    /**
     * The common parameters of a per-row kernel: p0 rows, p1 columns, p2 x. Parameters are uploaded before
     * {@link DeviceSession#plan()}, which sends what is pending to the device.
     */
    private record RowOp(int rows, int columns, int x, int out) {
        void set(IntArray p) {
            p.set(0, rows);
            p.set(1, columns);
            p.set(2, x);
        }
    }

    private RowOp rows(String op, Tensor x, Tensor out) {
        long xo = operands.f32(op, "x", x);
        long oo = operands.f32(op, "out", out);
        if (out.rows() != x.rows() || out.columns() != x.columns()) {
            throw new IllegalArgumentException(op + ": out " + out + " does not match x " + x);
        }
        return new RowOp(Math.toIntExact(x.rows()), Math.toIntExact(x.columns()), Math.toIntExact(xo),
                Math.toIntExact(oo));
    }

    void gelu(Tensor x, Tensor out) {
        unary("gelu", Kernel.GELU, x, out);
    }

    void geluTanh(Tensor x, Tensor out) {
        unary("geluTanh", Kernel.GELU_TANH, x, out);
    }

    void silu(Tensor x, Tensor out) {
        unary("silu", Kernel.SILU, x, out);
    }

    private void unary(String op, Kernel kernel, Tensor x, Tensor out) {
        long xo = operands.f32(op, "x", x);
        long oo = operands.f32(op, "out", out);
        if (out.elementCount() != x.elementCount()) {
            throw new IllegalArgumentException(op + ": out " + out + " does not match x " + x);
        }
        DevicePlan plan = session.plan();
        IntArray p = plan.params(kernel);
        p.set(0, Math.toIntExact(x.elementCount()));
        p.set(1, Math.toIntExact(xo));
        p.set(2, Math.toIntExact(oo));
        plan.launch(kernel, x.elementCount());
    }

    void swiglu(Tensor gate, Tensor up, Tensor out) {
        long go = operands.f32("swiglu", "gate", gate);
        long uo = operands.f32("swiglu", "up", up);
        long oo = operands.f32("swiglu", "out", out);
        long n = gate.elementCount();
        if (up.elementCount() != n || out.elementCount() != n) {
            throw new IllegalArgumentException("swiglu: gate " + gate + ", up " + up + " and out " + out + " differ in size");
        }
        DevicePlan plan = session.plan();
        IntArray p = plan.params(Kernel.SWIGLU);
        p.set(0, Math.toIntExact(n));
        p.set(1, Math.toIntExact(go));
        p.set(2, Math.toIntExact(uo));
        p.set(3, Math.toIntExact(oo));
        plan.launch(Kernel.SWIGLU, n);
    }
}
