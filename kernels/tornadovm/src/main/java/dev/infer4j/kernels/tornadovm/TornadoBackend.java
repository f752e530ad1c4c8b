package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.RopeSpec;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.kernels.tornadovm.kernels.AttentionKernels;
import dev.infer4j.kernels.tornadovm.kernels.LinearKernels;
import dev.infer4j.kernels.tornadovm.kernels.Params;
import java.lang.foreign.MemorySegment;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The {@link Backend} on a TornadoVM device (a GPU, or PoCL's OpenCL-on-CPU in CI): every operation is a
 * Java kernel JIT-compiled by TornadoVM, activations stay in device memory, weights and parameters are
 * uploaded once, and only {@link #read} brings values back. Each call launches one cached kernel graph and
 * waits for it (see {@link DevicePlan}), except inside {@link #replay}, where a recorded sequence of calls runs
 * as one graph; calls are serialised. Memory, matmul and embedding launches are here; the element and row
 * operations are in {@link ElementwiseLaunches}, RoPE, attention and pooling in {@link SequenceLaunches}.
 *
 * <p>Limits: head dimensions up to {@value AttentionKernels#MAX_HEAD_DIM}; each device array (activations,
 * constants, quantized bytes) up to 2³¹ elements; F16 weights stay F16 only on devices with fp16.
 */
public final class TornadoBackend implements Backend {
    private final DeviceSession session;
    private final Operands operands;
    private final ElementwiseLaunches elementwise;
    private final SequenceLaunches sequences;

    TornadoBackend(DeviceSession session) {
        this.session = session;
        this.operands = new Operands(session);
        this.elementwise = new ElementwiseLaunches(session, operands);
        this.sequences = new SequenceLaunches(session, operands);
    }

    @Override
    public String name() {
        return "tornadovm";
    }

    /** The device this backend runs on, as TornadoVM describes it. */
    public String deviceName() {
        return session.deviceName();
    }

    /** The session behind this backend, for tests and benchmarks of residency. */
    DeviceSession session() {
        return session;
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public synchronized Tensor allocate(DType dtype, long... shape) {
        operands.open();
        if (dtype == null || shape == null) {
            throw new IllegalArgumentException("allocate: dtype and shape are required");
        }
        return session.activations().allocate(dtype, shape);
    }

    @Override
    public synchronized Weight prepareWeight(Tensor weight, WeightLayout layout) {
        operands.open();
        if (weight == null || layout == null) {
            throw new IllegalArgumentException("prepareWeight: weight and layout are required");
        }
        return session.matrix(weight, layout);
    }

    @Override
    public synchronized void write(Tensor dst, long offset, float[] src, int from, int length) {
        session.requireNoScope("write");
        long at = transfer("write", dst, offset, src, from, length);
        if (length > 0) {
            session.plan();
            session.writeFloats(MemorySegment.ofArray(src).asSlice((long) from * Float.BYTES), at, length, 0);
        }
    }

    @Override
    public synchronized void read(Tensor src, long offset, float[] dst, int from, int length) {
        session.requireNoScope("read");
        long at = transfer("read", src, offset, dst, from, length);
        if (length > 0) {
            session.plan();
            session.readFloats(at, length, MemorySegment.ofArray(dst).asSlice((long) from * Float.BYTES));
        }
    }

    private long transfer(String op, Tensor t, long offset, float[] array, int from, int length) {
        long at = operands.f32(op, "tensor", t);
        if (array == null) {
            throw new IllegalArgumentException(op + ": array is null");
        }
        if (length < 0 || from < 0 || from > array.length - length) {
            throw new IllegalArgumentException(op + ": " + length + " values from index " + from + " do not fit an array of "
                    + array.length);
        }
        if (offset < 0 || offset > t.elementCount() - length) {
            throw new IllegalArgumentException(op + ": " + length + " values at offset " + offset + " do not fit " + t);
        }
        return at + offset;
    }

    @Override
    public synchronized void copyRows(Tensor src, long srcRow, Tensor dst, long dstRow, long rows) {
        long s = operands.f32("copyRows", "src", src);
        long d = operands.f32("copyRows", "dst", dst);
        long width = src.columns();
        if (dst.columns() != width) {
            throw new IllegalArgumentException("copyRows: rows of " + width + " and " + dst.columns() + " values differ");
        }
        if (rows < 0 || srcRow < 0 || dstRow < 0 || srcRow > src.rows() - rows || dstRow > dst.rows() - rows) {
            throw new IllegalArgumentException("copyRows: " + rows + " rows from row " + srcRow + " of " + src + " to row "
                    + dstRow + " of " + dst + " are out of range");
        }
        long from = s + srcRow * width;
        long to = d + dstRow * width;
        long count = rows * width;
        if (count == 0 || from == to) {
            return;
        }
        DevicePlan plan = session.plan();
        // overlapping ranges: copy in pieces no longer than the distance, in the direction that reads before it overwrites
        long piece = Math.min(count, Math.abs(to - from));
        for (long done = 0; done < count; done += piece) {
            long n = Math.min(piece, count - done);
            long at = to > from ? count - done - n : done;
            IntArray p = plan.params(Kernel.COPY);
            p.set(0, Math.toIntExact(from + at));
            p.set(1, Math.toIntExact(to + at));
            p.set(2, Math.toIntExact(n));
            plan.launch(Kernel.COPY, n);
        }
    }

    @Override
    public synchronized void scatterRows(Tensor src, Tensor dst, int[] dstRows, int count) {
        long s = operands.f32("scatterRows", "src", src);
        long d = operands.f32("scatterRows", "dst", dst);
        long width = src.columns();
        if (dst.columns() != width) {
            throw new IllegalArgumentException("scatterRows: rows of " + width + " and " + dst.columns() + " values differ");
        }
        if (dstRows == null || count < 0 || count > dstRows.length || count > src.rows()) {
            throw new IllegalArgumentException("scatterRows: " + count + " rows of " + src + " need as many destination rows, got "
                    + (dstRows == null ? "null" : dstRows.length));
        }
        for (int i = 0; i < count; i++) {
            if (dstRows[i] < 0 || dstRows[i] >= dst.rows()) {
                throw new IllegalArgumentException("scatterRows: destination row " + dstRows[i] + " at " + i + " is outside " + dst);
            }
        }
        if (s < d + dst.elementCount() && d < s + count * width) {
            throw new IllegalArgumentException("scatterRows: src " + src + " and dst " + dst + " overlap");
        }
        DevicePlan plan = session.plan();
        for (int from = 0; from < count; from += Params.LIST_CAPACITY) {
            int n = Math.min(Params.LIST_CAPACITY, count - from);
            IntArray p = plan.params(Kernel.SCATTER_ROWS);
            p.set(0, n);
            p.set(1, Math.toIntExact(width));
            p.set(2, Math.toIntExact(s + from * width));
            p.set(3, Math.toIntExact(d));
            plan.list(Kernel.SCATTER_ROWS, dstRows, from, n);
            plan.launch(Kernel.SCATTER_ROWS, n * width);
        }
    }

    // ---- linear algebra -----------------------------------------------------------------------

    @Override
    public synchronized void matmul(Tensor x, Weight w, Tensor bias, Tensor out) {
        if (!(w instanceof ResidentMatrix m) || m.owner() != session) {
            throw new IllegalArgumentException("matmul: the weight was not prepared by this TornadoVM backend: " + w);
        }
        long xo = operands.f32("matmul", "x", x);
        long oo = operands.f32("matmul", "out", out);
        if (x.columns() != m.inFeatures() || out.columns() != m.outFeatures() || x.rows() != out.rows()) {
            throw new IllegalArgumentException("matmul: x " + x + " · W [" + m.outFeatures() + " x " + m.inFeatures()
                    + "]ᵀ does not fit out " + out);
        }
        int biasAt = -1;
        if (bias != null) {
            if (bias.elementCount() != m.outFeatures()) {
                throw new IllegalArgumentException("matmul: bias " + bias + " needs " + m.outFeatures() + " values");
            }
            biasAt = session.vector(operands.hostParameter("matmul", "bias", bias));
        }
        long n = x.rows();
        Kernel kernel = switch (m.format()) {
            case F32 -> n == 1 ? Kernel.GEMV_F32 : Kernel.GEMM_F32;
            case F16 -> n == 1 ? Kernel.GEMV_F16 : Kernel.GEMM_F16;
            case Q8_0 -> n == 1 ? Kernel.GEMV_Q8 : Kernel.GEMM_Q8;
            case Q4_0 -> n == 1 ? Kernel.GEMV_Q4 : Kernel.GEMM_Q4;
        };
        DevicePlan plan = session.plan();
        IntArray p = plan.params(kernel);
        p.set(0, Math.toIntExact(m.outFeatures()));
        p.set(1, Math.toIntExact(m.inFeatures()));
        p.set(2, Math.toIntExact(xo));
        p.set(3, m.values());
        p.set(4, m.scales());
        p.set(5, biasAt);
        p.set(6, Math.toIntExact(oo));
        p.set(7, Math.toIntExact(n));
        long tile = LinearKernels.TILE;
        plan.launchGroups(kernel, n == 1 ? m.outFeatures() : ((m.outFeatures() + tile - 1) / tile) * ((n + tile - 1) / tile));
    }

    @Override
    public synchronized void embedding(Tensor table, int[] ids, int count, Tensor out) {
        operands.hostParameter("embedding", "table", table);
        if (table.rank() != 2) {
            throw new IllegalArgumentException("embedding: the table must be [rows, dim], got " + table);
        }
        long oo = operands.f32("embedding", "out", out);
        long dim = table.columns();
        if (ids == null || count < 0 || count > ids.length || out.columns() != dim || out.rows() != count) {
            throw new IllegalArgumentException("embedding: " + count + " ids (of " + (ids == null ? 0 : ids.length)
                    + ") from " + table + " do not fit out " + out);
        }
        for (int i = 0; i < count; i++) {
            if (ids[i] < 0 || ids[i] >= table.dim(0)) {
                throw new IllegalArgumentException("embedding: id " + ids[i] + " at " + i + " is outside [0, " + table.dim(0) + ")");
            }
        }
        ResidentMatrix m = session.matrix(table, WeightLayout.OUT_IN);
        Kernel kernel = switch (m.format()) {
            case F32 -> Kernel.GATHER_F32;
            case F16 -> Kernel.GATHER_F16;
            case Q8_0 -> Kernel.GATHER_Q8;
            case Q4_0 -> Kernel.GATHER_Q4;
        };
        DevicePlan plan = session.plan();
        for (int from = 0; from < count; from += Params.LIST_CAPACITY) {
            int rows = Math.min(Params.LIST_CAPACITY, count - from);
            IntArray p = plan.params(kernel);
            p.set(0, rows);
            p.set(1, Math.toIntExact(dim));
            p.set(2, m.values());
            p.set(3, Math.toIntExact(oo + from * dim));
            p.set(4, m.scales());
            plan.list(kernel, ids, from, rows);
            plan.launch(kernel, rows * dim);
        }
    }

    @Override
    public synchronized void add(Tensor a, Tensor b, Tensor out) {
        elementwise.add(a, b, out);
    }

    @Override
    public synchronized void scale(Tensor x, float factor) {
        elementwise.scale(x, factor);
    }

    // ---- normalisation and activations (ElementwiseLaunches) -----------------------------------

    @Override
    public synchronized void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        elementwise.rmsNorm(x, weight, eps, out);
    }

    @Override
    public synchronized void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        elementwise.layerNorm(x, weight, bias, eps, out);
    }

    @Override
    public synchronized void softmax(Tensor x) {
        elementwise.softmax(x);
    }

    @Override
    public synchronized void l2Normalize(Tensor x) {
        elementwise.l2Normalize(x);
    }

    @Override
    public synchronized void gelu(Tensor x, Tensor out) {
        elementwise.gelu(x, out);
    }

    @Override
    public synchronized void geluTanh(Tensor x, Tensor out) {
        elementwise.geluTanh(x, out);
    }

    @Override
    public synchronized void silu(Tensor x, Tensor out) {
        elementwise.silu(x, out);
    }

    @Override
    public synchronized void swiglu(Tensor gate, Tensor up, Tensor out) {
        elementwise.swiglu(gate, up, out);
    }

    // ---- sequences (SequenceLaunches) ----------------------------------------------------------

    @Override
    public synchronized void rope(Tensor x, int[] positions, RopeSpec spec) {
        sequences.rope(x, positions, spec);
    }

    @Override
    public synchronized void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionSpec spec) {
        sequences.attention(q, k, v, out, spec);
    }

    @Override
    public synchronized void meanPool(Tensor x, int batch, int seqLength, int[] lengths, Tensor out) {
        sequences.meanPool(x, batch, seqLength, lengths, out);
    }

    // ---- capture ------------------------------------------------------------------------------

    /**
     * Collects the launches of {@code calls}; the first sighting of {@code key} runs them one by one, the second
     * also records them, and from then on a scope whose launches match the recording runs as one graph
     * (see {@link DeviceSession#replay}).
     */
    @Override
    public synchronized void replay(Object key, Runnable calls) {
        operands.open();
        if (key == null || calls == null) {
            throw new IllegalArgumentException("replay: key and calls are required");
        }
        session.replay(key, calls);
    }

    @Override
    public synchronized void close() {
        if (operands.close()) {
            session.close();
        }
    }
}
