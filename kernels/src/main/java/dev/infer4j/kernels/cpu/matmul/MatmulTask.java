package dev.infer4j.kernels.cpu.matmul;

import dev.infer4j.kernels.cpu.WorkerPool;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One matmul call spread over a {@link WorkerPool}. A GEMV ({@code n == 1}) splits the weight's panels into one
 * contiguous run per thread: each thread then streams one long stretch of memory, and no thread is left alone
 * with a last chunk (four chunks per thread before; TinyLlama-shape Q8_0 decode, alternating fresh JVMs: 33-38
 * against 30-35 tokens/s in 5 of 6 pairs; F32, F16, Q4_0 and the small batches unchanged). A GEMM splits the rows
 * of x into blocks of {@link #ROW_BLOCK} and the panels into chunks (one per thread when x is one row block: a
 * 16-token MiniLM pass 1.45-1.52 against 1.47-1.75 ms with four, prefill unchanged),
 * and each task loops over k blocks, then panels, then row tiles ({@link GemmKernels}), so a k block of a
 * panel stays in cache while every row of the block passes over it. The kernels read the block's rows of x
 * from a heap copy, made once per call and row block by each thread that runs one of its chunks. A few rows
 * times a format with a {@link SmallBatchMatmul} kernel split the panels as a GEMV does, x prepared once by the
 * calling thread.
 * Reused by its thread: see {@link MatmulScratch}.
 */
final class MatmulTask implements WorkerPool.RangeTask {
    /** Rows of x per block: the block's k slice of x stays in the L2 cache. */
    static final int ROW_BLOCK = 128;
    /** Inputs per k block for F32 weights, read in place from their panels. */
    static final int F32_KC = 2048;

    private PackedWeight w;
    private MemorySegment x;
    private long xStride;
    private int n;
    private MemorySegment out;
    private long outStride;
    private MemorySegment bias;
    private MatmulEpilogue epilogue;
    private int panelChunk;
    private int chunksPerRowBlock;
    private boolean smallBatch;
    private final SmallBatchInput batch = new SmallBatchInput();
    /** Identifies the current call, so that a thread copies a row block of x only once per call. */
    private static final AtomicLong CALLS = new AtomicLong();
    private long call;

    /** {@code out[n, m] = x[n, k] · wᵀ + bias}, rows {@code xStride} and {@code outStride} bytes apart. */
    void run(WorkerPool pool, PackedWeight w, MemorySegment x, long xStride, int n, MemorySegment out, long outStride,
            MemorySegment bias, MatmulEpilogue epilogue) {
        this.epilogue = epilogue;
        this.w = w;
        this.x = x;
        this.xStride = xStride;
        this.n = n;
        this.out = out;
        this.outStride = outStride;
        this.bias = bias;
        this.call = CALLS.incrementAndGet();
        int threads = pool.threads();
        try {
            smallBatch = SmallBatchMatmul.handles(w, n);
            if (n == 1 || smallBatch) {
                // x is rounded once here, not once per chunk by whichever thread runs it
                batch.prepare(x, xStride, n, w.inFeatures, w.gemvRoundsInput());
                pool.parallelFor(w.panels, this);
            } else {
                int rowBlocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
                int wanted = rowBlocks == 1 ? threads : Math.max(1, 4 * threads / rowBlocks);
                panelChunk = Math.max(1, (w.panels + wanted - 1) / wanted);
                chunksPerRowBlock = (w.panels + panelChunk - 1) / panelChunk;
                pool.parallelFor(rowBlocks * chunksPerRowBlock, 1, this);
            }
        } finally {
            this.w = null;
            this.x = null;
            this.out = null;
            this.bias = null;
            this.epilogue = null;
        }
    }

    @Override
    public void run(int worker, int from, int to) {
        MatmulScratch scratch = MatmulScratch.current();
        if (n == 1) {
            boolean rounds = w.gemvRoundsInput();
            w.gemv(rounds ? null : batch.floats(), rounds ? batch.quantized(0) : null, out, 0, bias, from, to, scratch);
            finish(0, 1, from, to);
            return;
        }
        if (smallBatch) {
            SmallBatchMatmul.multiply(w, batch, out, outStride, bias, from, to, scratch);
            finish(0, n, from, to);
            return;
        }
        for (int t = from; t < to; t++) {
            int rowBlock = t / chunksPerRowBlock;
            int chunk = t % chunksPerRowBlock;
            int r0 = rowBlock * ROW_BLOCK;
            int r1 = Math.min(n, r0 + ROW_BLOCK);
            int p0 = chunk * panelChunk;
            int p1 = Math.min(w.panels, p0 + panelChunk);
            gemm(r0, r1, p0, p1, scratch);
            finish(r0, r1, p0, p1);
        }
    }

    /** Runs the epilogue, if any, on rows {@code [r0, r1)} of the features of panels {@code [p0, p1)}, all computed. */
    private void finish(int r0, int r1, int p0, int p1) {
        MatmulEpilogue e = epilogue;
        if (e == null) {
            return;
        }
        int first = p0 * Lanes.NR;
        int count = Math.min(w.outFeatures, p1 * Lanes.NR) - first;
        for (int r = r0; r < r1; r++) {
            e.apply(out, r * outStride + (long) first * Float.BYTES, count);
        }
    }

    private void gemm(int r0, int r1, int p0, int p1, MatmulScratch scratch) {
        PackedWeight weight = w;
        int k = weight.inFeatures;
        F32Panels f32 = weight instanceof F32Panels f ? f : null;
        int kcMax = f32 != null ? F32_KC : MatmulScratch.UNPACKED_KC;
        long panelBytes = (long) Lanes.NR * Float.BYTES;
        int rows = r1 - r0;
        float[] xs = scratch.rowsOfX(call, r0, x, xStride, rows, k);
        for (int k0 = 0; k0 < k; k0 += kcMax) {
            int kc = Math.min(kcMax, k - k0);
            for (int panel = p0; panel < p1; panel++) {
                MemorySegment b;
                long bOff;
                if (f32 != null) {
                    b = f32.data;
                    bOff = f32.offset(panel, k0);
                } else {
                    weight.unpack(panel, k0, kc, scratch.panel, scratch);
                    b = scratch.panel;
                    bOff = 0;
                }
                GemmKernels.multiply(rows, xs, k0, k, b, bOff, kc,
                        out, r0 * outStride + panel * panelBytes, outStride, weight.columnsOf(panel), k0 == 0,
                        bias, panel * panelBytes, scratch.tile);
            }
        }
    }
}
