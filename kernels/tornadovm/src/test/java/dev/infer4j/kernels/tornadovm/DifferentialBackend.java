package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.RopeSpec;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a whole model on two backends at once, {@code primary} (whose tensors and weights the model sees)
 * and {@code shadow} (each activation mirrored there), and after every operation compares the output on
 * both: so a disagreement is pinned to the first operation where it appears, not to the final logits.
 * Each backend computes from its own previous results. Records, per operation name, the largest
 * {@code |primary - shadow| / max(1, max |shadow|)}.
 */
public final class DifferentialBackend implements Backend {
    private final Backend primary;
    private final Backend shadow;
    private final List<Tensor[]> mirrors = new ArrayList<>();
    private final Map<Weight, Weight> weights = new IdentityHashMap<>();
    private final Map<String, Double> worst = new java.util.TreeMap<>();
    private String worstOp = "-";
    private double worstDiff;
    private long ops;

    public DifferentialBackend(Backend primary, Backend shadow) {
        this.primary = primary;
        this.shadow = shadow;
    }

    /** The largest relative difference seen, over all operations. */
    public double worstDifference() {
        return worstDiff;
    }

    /** Where the largest difference was seen: operation number, name and tensor. */
    public String worstOperation() {
        return worstOp;
    }

    /** Largest relative difference per operation name. */
    public Map<String, Double> perOperation() {
        return worst;
    }

    private Tensor mirror(Tensor t) {
        if (t == null) {
            return null;
        }
        long address = t.segment().address();
        for (Tensor[] m : mirrors) {
            long base = m[0].segment().address();
            if (address >= base && address < base + m[0].byteSize()) {
                return Tensor.of(t.dtype(), m[1].segment().asSlice(address - base, t.byteSize()), t.shape());
            }
        }
        return t; // a host tensor: both backends read it
    }

    private void compare(String op, Tensor t) {
        float[] p = new float[Math.toIntExact(t.elementCount())];
        float[] s = new float[p.length];
        primary.read(t, 0, p, 0, p.length);
        shadow.read(mirror(t), 0, s, 0, s.length);
        double max = 0;
        double magnitude = 1;
        for (int i = 0; i < p.length; i++) {
            max = Math.max(max, Math.abs(p[i] - s[i]));
            magnitude = Math.max(magnitude, Math.abs(s[i]));
        }
        double relative = Double.isNaN(max) ? Double.POSITIVE_INFINITY : max / magnitude;
        worst.merge(op, relative, Math::max);
        if (relative > worstDiff) {
            worstDiff = relative;
            worstOp = "#" + ops + " " + op + " " + t;
        }
        ops++;
    }

    @Override
    public String name() {
        return primary.name() + " vs " + shadow.name();
    }

    @Override
    public Tensor allocate(DType dtype, long... shape) {
        Tensor t = primary.allocate(dtype, shape);
        mirrors.add(new Tensor[] {t, shadow.allocate(dtype, shape)});
        return t;
    }

    @Override
    public Weight prepareWeight(Tensor weight, WeightLayout layout) {
        Weight w = primary.prepareWeight(weight, layout);
        weights.put(w, shadow.prepareWeight(weight, layout));
        return w;
    }

    @Override
    public void write(Tensor dst, long offset, float[] src, int from, int length) {
        primary.write(dst, offset, src, from, length);
        shadow.write(mirror(dst), offset, src, from, length);
    }

    @Override
    public void read(Tensor src, long offset, float[] dst, int from, int length) {
        primary.read(src, offset, dst, from, length);
    }

    @Override
    public void copyRows(Tensor src, long srcRow, Tensor dst, long dstRow, long rows) {
        primary.copyRows(src, srcRow, dst, dstRow, rows);
        shadow.copyRows(mirror(src), srcRow, mirror(dst), dstRow, rows);
        compare("copyRows", dst);
    }

    @Override
    public void matmul(Tensor x, Weight w, Tensor bias, Tensor out) {
        primary.matmul(x, w, bias, out);
        shadow.matmul(mirror(x), weights.get(w), bias, mirror(out));
        compare("matmul " + w.dtype(), out);
    }

    @Override
    public void embedding(Tensor table, int[] ids, int count, Tensor out) {
        primary.embedding(table, ids, count, out);
        shadow.embedding(table, ids, count, mirror(out));
        compare("embedding " + table.dtype(), out);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        primary.add(a, b, out);
        shadow.add(mirror(a), mirror(b), mirror(out));
        compare("add", out);
    }

    @Override
    public void scale(Tensor x, float factor) {
        primary.scale(x, factor);
        shadow.scale(mirror(x), factor);
        compare("scale", x);
    }

    @Override
    public void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        primary.rmsNorm(x, weight, eps, out);
        shadow.rmsNorm(mirror(x), weight, eps, mirror(out));
        compare("rmsNorm", out);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        primary.layerNorm(x, weight, bias, eps, out);
        shadow.layerNorm(mirror(x), weight, bias, eps, mirror(out));
        compare("layerNorm", out);
    }

    @Override
    public void softmax(Tensor x) {
        primary.softmax(x);
        shadow.softmax(mirror(x));
        compare("softmax", x);
    }

    @Override
    public void l2Normalize(Tensor x) {
        primary.l2Normalize(x);
        shadow.l2Normalize(mirror(x));
        compare("l2Normalize", x);
    }

    @Override
    public void gelu(Tensor x, Tensor out) {
        primary.gelu(x, out);
        shadow.gelu(mirror(x), mirror(out));
        compare("gelu", out);
    }

    @Override
    public void geluTanh(Tensor x, Tensor out) {
        primary.geluTanh(x, out);
        shadow.geluTanh(mirror(x), mirror(out));
        compare("geluTanh", out);
    }

    @Override
    public void silu(Tensor x, Tensor out) {
        primary.silu(x, out);
        shadow.silu(mirror(x), mirror(out));
        compare("silu", out);
    }

    @Override
    public void swiglu(Tensor gate, Tensor up, Tensor out) {
        primary.swiglu(gate, up, out);
        shadow.swiglu(mirror(gate), mirror(up), mirror(out));
        compare("swiglu", out);
    }

    @Override
    public void rope(Tensor x, int[] positions, RopeSpec spec) {
        primary.rope(x, positions, spec);
        shadow.rope(mirror(x), positions, spec);
        compare("rope", x);
    }

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionSpec spec) {
        primary.attention(q, k, v, out, spec);
        shadow.attention(mirror(q), mirror(k), mirror(v), mirror(out), spec);
        compare("attention", out);
    }

    @Override
    public void meanPool(Tensor x, int batch, int seqLength, int[] lengths, Tensor out) {
        primary.meanPool(x, batch, seqLength, lengths, out);
        shadow.meanPool(mirror(x), batch, seqLength, lengths, mirror(out));
        compare("meanPool", out);
    }

    @Override
    public void close() {
        primary.close();
        shadow.close();
    }
}
