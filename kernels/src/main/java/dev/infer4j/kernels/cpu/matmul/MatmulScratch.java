package dev.infer4j.kernels.cpu.matmul;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread working memory of the matmul kernels, allocated once per thread and reused by every call,
 * so a matmul allocates nothing: the F32 panel a quantized weight is unpacked into for the GEMM kernel,
 * a row buffer, a heap copy of rows of x, a result tile, and the task object a calling thread hands to its worker
 * pool (which holds x rounded to 8 bits for the integer kernels).
 * Being per thread, it is safe however many pools and weights are used at once.
 */
final class MatmulScratch {
    private static final ThreadLocal<MatmulScratch> CURRENT = ThreadLocal.withInitial(MatmulScratch::new);

    /** Inputs per k block of the GEMM when the weight is unpacked: a multiple of every block size. */
    static final int UNPACKED_KC = 2048;

    /** {@code UNPACKED_KC x NR} floats. */
    final MemorySegment panel;
    /** {@code MR x NR} floats: GEMM kernel results before they go to the output. */
    final MemorySegment tile;
    /** {@code NR} floats: one block's decoded scales. */
    final MemorySegment blockScales;
    /** The task this thread passes to its pool when it calls a matmul. */
    final MatmulTask task = new MatmulTask();
    private float[] row = new float[UNPACKED_KC];
    private float[] xRows = new float[0];
    private long xRowsCall;
    private int xRowsFrom;
    private short[] halves = new short[0];
    private float[] mins = new float[0];

    private MatmulScratch() {
        Arena arena = Arena.ofAuto();
        panel = arena.allocate((long) UNPACKED_KC * Lanes.NR * Float.BYTES, 64);
        tile = arena.allocate((long) Lanes.MR * Lanes.NR * Float.BYTES, 64);
        blockScales = arena.allocate((long) Lanes.NR * Float.BYTES, 64);
    }

    static MatmulScratch current() {
        return CURRENT.get();
    }

    /** A float buffer of at least {@code length}. */
    float[] row(int length) {
        if (row.length < length) {
            row = new float[length];
        }
        return row;
    }

    /**
     * Rows {@code r0 .. r0 + rows} of x ({@code k} floats each, {@code xStride} bytes apart) packed for the GEMM
     * kernels ({@link GemmKernels#pack}): packed on the first request of matmul call {@code call} for this row
     * block, then reused by the thread's later chunks of the call.
     */
    float[] rowsOfX(long call, int r0, MemorySegment x, long xStride, int rows, int k) {
        if (call != xRowsCall || r0 != xRowsFrom) {
            if (xRows.length < rows * k) {
                xRows = new float[rows * k];
            }
            GemmKernels.pack(x, r0 * xStride, xStride, rows, k, xRows);
            xRowsCall = call;
            xRowsFrom = r0;
        }
        return xRows;
    }

    /** A second float buffer of at least {@code length}: per-block mins. */
    float[] mins(int length) {
        if (mins.length < length) {
            mins = new float[length];
        }
        return mins;
    }

    /** A short buffer of at least {@code length}. */
    short[] halves(int length) {
        if (halves.length < length) {
            halves = new short[length];
        }
        return halves;
    }
}
