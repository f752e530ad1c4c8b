package dev.infer4j.kernels.cpu;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.RopeSpec;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.kernels.cpu.matmul.CpuMatmul;
import dev.infer4j.kernels.cpu.matmul.MatmulEpilogue;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The {@link Backend} on the host CPU: kernels on the Vector API ({@code FloatVector.SPECIES_PREFERRED}),
 * rows spread over a {@link WorkerPool}. Operations run synchronously; activations live in a shared
 * arena that {@link #close()} frees. Each operation family keeps its call state and per-worker scratch
 * in its own object, so steady-state calls allocate nothing.
 *
 * <h2>Numerics</h2>
 * Sums accumulate in float vector lanes; RMSNorm/LayerNorm/L2 scale factors are taken in double.
 * {@code exp} (softmax, SiLU, tanh-GELU, attention) is a degree-7 polynomial within 2 ulp; exact GELU
 * evaluates erf in double lanes (about 1e-11), so its float result is within an ulp of the true value.
 * Attention softmax subtracts the row maximum (two passes over a score buffer).
 */
public final class CpuBackend implements Backend {
    private final Arena arena = Arena.ofShared();
    private final WorkerPool pool;
    private final Elementwise elementwise;
    private final Norms norms;
    private final Rope rope;
    private final Attention attention;
    private final Embedding embedding = new Embedding();
    private final MeanPool meanPool;
    private volatile boolean closed;

    public CpuBackend(int threads) {
        this.pool = new WorkerPool(threads);
        this.elementwise = new Elementwise(pool);
        this.norms = new Norms(pool);
        this.rope = new Rope(pool);
        this.attention = new Attention(pool);
        this.meanPool = new MeanPool(pool);
    }

    @Override
    public String name() {
        return "cpu";
    }

    /** Threads that run each operation, the caller included. */
    public int threads() {
        return pool.threads();
    }

    /** The pool the kernels run on (for kernels outside this package, such as matmul). */
    public WorkerPool pool() {
        return pool;
    }

    // ---- memory -------------------------------------------------------------------------------

    @Override
    public Tensor allocate(DType dtype, long... shape) {
        if (dtype != DType.F32 && dtype != DType.I32) {
            throw new IllegalArgumentException("allocate: activations are F32 or I32, got " + dtype);
        }
        if (closed) {
            throw new IllegalStateException("the CPU backend is closed");
        }
        return Tensor.allocate(arena, dtype, shape);
    }

    @Override
    public Weight prepareWeight(Tensor weight, WeightLayout layout) {
        if (weight == null || layout == null) {
            throw new IllegalArgumentException("prepareWeight: weight and layout are required");
        }
        return CpuMatmul.prepare(weight, layout);
    }

    @Override
    public void write(Tensor dst, long offset, float[] src, int from, int length) {
        checkTransfer("write", dst, offset, src, from, length);
        MemorySegment.copy(src, from, dst.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * offset, length);
    }

    @Override
    public void read(Tensor src, long offset, float[] dst, int from, int length) {
        checkTransfer("read", src, offset, dst, from, length);
        MemorySegment.copy(src.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * offset, dst, from, length);
    }

    private static void checkTransfer(String op, Tensor t, long offset, float[] array, int from, int length) {
        Checks.f32(op, "tensor", t);
        if (array == null) {
            throw new IllegalArgumentException(op + ": array is null");
        }
        if (length < 0 || from < 0 || from > array.length - length) {
            throw new IllegalArgumentException(op + ": " + length + " values from index " + from
                    + " do not fit an array of " + array.length);
        }
        if (offset < 0 || offset > t.elementCount() - length) {
            throw new IllegalArgumentException(op + ": " + length + " values at offset " + offset
                    + " do not fit " + t);
        }
    }

    @Override
    public void copyRows(Tensor src, long srcRow, Tensor dst, long dstRow, long rows) {
        Checks.f32("copyRows", "src", src);
        Checks.f32("copyRows", "dst", dst);
        if (src.columns() != dst.columns()) {
            throw new IllegalArgumentException("copyRows: rows differ in width: src " + src + ", dst " + dst);
        }
        if (rows < 0 || srcRow < 0 || dstRow < 0 || srcRow > src.rows() - rows || dstRow > dst.rows() - rows) {
            throw new IllegalArgumentException("copyRows: " + rows + " rows from row " + srcRow + " of " + src
                    + " to row " + dstRow + " of " + dst + " are out of range");
        }
        long rowBytes = src.rowBytes();
        MemorySegment.copy(src.segment(), srcRow * rowBytes, dst.segment(), dstRow * rowBytes, rows * rowBytes);
    }

    // ---- linear algebra -----------------------------------------------------------------------

    /** GELU of a stretch of a matmul's output, applied by the thread that has just computed it. */
    private static final MatmulEpilogue GELU = (out, offset, count) -> VectorMath.gelu(out, offset, out, offset, count);

    @Override
    public void matmul(Tensor x, Weight w, Tensor bias, Tensor out) {
        checkMatmul(x, w, bias, out);
        CpuMatmul.matmul(pool, x, w, bias, out, null);
    }

    @Override
    public void matmulGelu(Tensor x, Weight w, Tensor bias, Tensor out) {
        checkMatmul(x, w, bias, out);
        CpuMatmul.matmul(pool, x, w, bias, out, GELU);
    }

    private static void checkMatmul(Tensor x, Weight w, Tensor bias, Tensor out) {
        if (w == null) {
            throw new IllegalArgumentException("matmul: weight is null");
        }
        Checks.f32("matmul", "x", x);
        if (x.columns() != w.inFeatures()) {
            throw new IllegalArgumentException("matmul: x rows have " + x.columns() + " values, the weight takes "
                    + w.inFeatures() + " (x " + x + ")");
        }
        Checks.matrix("matmul", "out", out, x.rows(), w.outFeatures());
        if (bias != null) {
            Checks.vector("matmul", "bias", bias, w.outFeatures());
        }
    }

    @Override
    public void embedding(Tensor table, int[] ids, int count, Tensor out) {
        embedding.embedding(table, ids, count, out);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        elementwise.add(a, b, out);
    }

    @Override
    public void scale(Tensor x, float factor) {
        elementwise.scale(x, factor);
    }

    // ---- normalisation ------------------------------------------------------------------------

    @Override
    public void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        norms.rmsNorm(x, weight, eps, out);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        norms.layerNorm(x, weight, bias, eps, out);
    }

    @Override
    public void softmax(Tensor x) {
        norms.softmax(x);
    }

    @Override
    public void l2Normalize(Tensor x) {
        norms.l2Normalize(x);
    }

    // ---- activations --------------------------------------------------------------------------

    @Override
    public void gelu(Tensor x, Tensor out) {
        elementwise.gelu(x, out);
    }

    @Override
    public void geluTanh(Tensor x, Tensor out) {
        elementwise.geluTanh(x, out);
    }

    @Override
    public void silu(Tensor x, Tensor out) {
        elementwise.silu(x, out);
    }

    @Override
    public void swiglu(Tensor gate, Tensor up, Tensor out) {
        elementwise.swiglu(gate, up, out);
    }

    // ---- attention ----------------------------------------------------------------------------

    @Override
    public void rope(Tensor x, int[] positions, RopeSpec spec) {
        rope.rope(x, positions, spec);
    }

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionSpec spec) {
        attention.attention(q, k, v, out, spec);
    }

    @Override
    public void meanPool(Tensor x, int batch, int seqLength, int[] lengths, Tensor out) {
        meanPool.meanPool(x, batch, seqLength, lengths, out);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
        arena.close();
    }
}
