package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.F32;
import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.PANEL_VECTORS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The F32 GEMM micro-kernels: a tile of {@code R} rows of x times one {@link Lanes#NR}-wide panel of the
 * weight, {@code R x 3} vector accumulators held in registers over {@code kc} steps of k.
 *
 * <p>Arguments: x is a heap copy of the rows ({@link #pack}), element {@code p} of row {@code r} of an
 * {@code R}-row kernel's tile at {@code x[xOff + p * R + r]}, so that one step's R values share a cache line and
 * are addressed from one index; the panel holds {@code NR} consecutive floats per step of k starting at byte
 * {@code bOff}. The kernels write
 * their sums to a small scratch tile ({@code NR} floats per row), and {@link #flush} moves the tile to the
 * output: only the panel's real columns, plus the bias on the first k block or added to the output on later
 * ones. Keeping that epilogue out of the kernels keeps their register allocation clean (measured: twice as
 * fast as storing straight from the accumulators with masks).
 *
 * <p>One method per row count because the Vector API keeps vectors in registers only as local variables;
 * they are written out in full. Two rules keep C2 from boxing vectors (measured 30x slower): no vector is
 * passed to a helper method that might not be inlined, and no loop-carried vector starts from a
 * {@code static final} vector constant ({@code FloatVector.zero} is used instead). x is read from a heap array
 * because a scalar {@code MemorySegment.get} is a chain of calls that C2 must inline: in some JVMs (1 run in
 * 3 to 1 in 13 of the TinyLlama Q8_0 prefill) it ran out of inlining budget for the eighth of {@link #rows8}'s
 * loads, leaving a call in the loop that made the GEMM 4.6x slower for the rest of the run; an array load is a
 * single bytecode.
 */
final class GemmKernels {
    private GemmKernels() {
    }

    private static final long PANEL_BYTES = (long) NR * Float.BYTES;

    /**
     * {@code out[r0 + r, panel columns] (+)= x rows times the panel} for {@code rows} rows, using the widest
     * kernels that fit; {@code c} row {@code r} starts at {@code cOff + r * cStride}, of which {@code cols}
     * columns are real. {@code tile} holds at least {@link Lanes#MR} x NR floats.
     */
    static void multiply(int rows, float[] x, int k0, int k, MemorySegment b, long bOff, int kc,
            MemorySegment c, long cOff, long cStride, int cols, boolean first, MemorySegment bias, long biasOff,
            MemorySegment tile) {
        int r = 0;
        while (r < rows) {
            int done = tileRows(rows - r);
            int xr = r * k + k0 * done;
            switch (done) {
                case 8 -> rows8(x, xr, b, bOff, kc, tile);
                case 4 -> rows4(x, xr, b, bOff, kc, tile);
                case 2 -> rows2(x, xr, b, bOff, kc, tile);
                default -> rows1(x, xr, b, bOff, kc, tile);
            }
            flush(tile, done, c, cOff + r * cStride, cStride, cols, first, bias, biasOff);
            r += done;
        }
    }

    /** Rows of the widest kernel that fits {@code left} rows: how {@link #multiply} and {@link #pack} tile x. */
    static int tileRows(int left) {
        return left >= 8 && Lanes.MR >= 8 ? 8 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
    }

    /**
     * Copies {@code rows} rows of x ({@code k} floats each, {@code xStride} bytes apart from byte {@code xOff}) to
     * {@code dst} in the kernels' order: tile by tile ({@link #tileRows}), a tile of {@code w} rows from row
     * {@code r} holding element {@code p} of its row {@code i} at {@code r * k + p * w + i}.
     */
    static void pack(MemorySegment x, long xOff, long xStride, int rows, int k, float[] dst) {
        int r = 0;
        while (r < rows) {
            int w = tileRows(rows - r);
            for (int i = 0; i < w; i++) {
                long row = xOff + (r + i) * xStride;
                int to = r * k + i;
                for (int p = 0; p < k; p++) {
                    dst[to + p * w] = x.get(F32, row + (long) p * Float.BYTES);
                }
            }
            r += w;
        }
    }

    /** Moves {@code rows} rows of the tile to the output (see the class comment). */
    static void flush(MemorySegment tile, int rows, MemorySegment c, long cOff, long cStride, int cols, boolean first,
            MemorySegment bias, long biasOff) {
        for (int v = 0; v < PANEL_VECTORS; v++) {
            VectorMask<Float> mask = FLOATS.indexInRange(v * L, cols);
            long vo = v * VECTOR_BYTES;
            FloatVector add = first && bias != null
                    ? FloatVector.fromMemorySegment(FLOATS, bias, biasOff + vo, NATIVE, mask) : FloatVector.zero(FLOATS);
            for (int r = 0; r < rows; r++) {
                long o = cOff + r * cStride + vo;
                FloatVector sum = FloatVector.fromMemorySegment(FLOATS, tile, r * PANEL_BYTES + vo, NATIVE).add(add);
                if (!first) {
                    sum = sum.add(FloatVector.fromMemorySegment(FLOATS, c, o, NATIVE, mask));
                }
                sum.intoMemorySegment(c, o, NATIVE, mask);
            }
        }
    }

    /** 8 rows of x times one panel; the sums go to tile, NR floats per row. */
    static void rows8(float[] x, int xOff, MemorySegment b, long bOff, int kc,
            MemorySegment tile) {
        FloatVector c00 = FloatVector.zero(FLOATS), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00, c40 = c00, c41 = c00, c42 = c00, c50 = c00, c51 = c00, c52 = c00, c60 = c00, c61 = c00, c62 = c00, c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < kc; p++) {
            long bo = bOff + (long) p * PANEL_BYTES;
            int xo = xOff + p * 8;
            FloatVector b0 = FloatVector.fromMemorySegment(FLOATS, b, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(FLOATS, b, bo + VECTOR_BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(FLOATS, b, bo + 2 * VECTOR_BYTES, NATIVE);
            FloatVector a0 = FloatVector.broadcast(FLOATS, x[xo]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(FLOATS, x[xo + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(FLOATS, x[xo + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(FLOATS, x[xo + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            FloatVector a4 = FloatVector.broadcast(FLOATS, x[xo + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            FloatVector a5 = FloatVector.broadcast(FLOATS, x[xo + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            FloatVector a6 = FloatVector.broadcast(FLOATS, x[xo + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            FloatVector a7 = FloatVector.broadcast(FLOATS, x[xo + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
        }
        c00.intoMemorySegment(tile, 0, NATIVE);
        c01.intoMemorySegment(tile, VECTOR_BYTES, NATIVE);
        c02.intoMemorySegment(tile, 2 * VECTOR_BYTES, NATIVE);
        c10.intoMemorySegment(tile, 3 * VECTOR_BYTES, NATIVE);
        c11.intoMemorySegment(tile, 4 * VECTOR_BYTES, NATIVE);
        c12.intoMemorySegment(tile, 5 * VECTOR_BYTES, NATIVE);
        c20.intoMemorySegment(tile, 6 * VECTOR_BYTES, NATIVE);
        c21.intoMemorySegment(tile, 7 * VECTOR_BYTES, NATIVE);
        c22.intoMemorySegment(tile, 8 * VECTOR_BYTES, NATIVE);
        c30.intoMemorySegment(tile, 9 * VECTOR_BYTES, NATIVE);
        c31.intoMemorySegment(tile, 10 * VECTOR_BYTES, NATIVE);
        c32.intoMemorySegment(tile, 11 * VECTOR_BYTES, NATIVE);
        c40.intoMemorySegment(tile, 12 * VECTOR_BYTES, NATIVE);
        c41.intoMemorySegment(tile, 13 * VECTOR_BYTES, NATIVE);
        c42.intoMemorySegment(tile, 14 * VECTOR_BYTES, NATIVE);
        c50.intoMemorySegment(tile, 15 * VECTOR_BYTES, NATIVE);
        c51.intoMemorySegment(tile, 16 * VECTOR_BYTES, NATIVE);
        c52.intoMemorySegment(tile, 17 * VECTOR_BYTES, NATIVE);
        c60.intoMemorySegment(tile, 18 * VECTOR_BYTES, NATIVE);
        c61.intoMemorySegment(tile, 19 * VECTOR_BYTES, NATIVE);
        c62.intoMemorySegment(tile, 20 * VECTOR_BYTES, NATIVE);
        c70.intoMemorySegment(tile, 21 * VECTOR_BYTES, NATIVE);
        c71.intoMemorySegment(tile, 22 * VECTOR_BYTES, NATIVE);
        c72.intoMemorySegment(tile, 23 * VECTOR_BYTES, NATIVE);
    }

    /** 4 rows of x times one panel; the sums go to tile, NR floats per row. */
    static void rows4(float[] x, int xOff, MemorySegment b, long bOff, int kc,
            MemorySegment tile) {
        FloatVector c00 = FloatVector.zero(FLOATS), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < kc; p++) {
            long bo = bOff + (long) p * PANEL_BYTES;
            int xo = xOff + p * 4;
            FloatVector b0 = FloatVector.fromMemorySegment(FLOATS, b, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(FLOATS, b, bo + VECTOR_BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(FLOATS, b, bo + 2 * VECTOR_BYTES, NATIVE);
            FloatVector a0 = FloatVector.broadcast(FLOATS, x[xo]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(FLOATS, x[xo + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(FLOATS, x[xo + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(FLOATS, x[xo + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        c00.intoMemorySegment(tile, 0, NATIVE);
        c01.intoMemorySegment(tile, VECTOR_BYTES, NATIVE);
        c02.intoMemorySegment(tile, 2 * VECTOR_BYTES, NATIVE);
        c10.intoMemorySegment(tile, 3 * VECTOR_BYTES, NATIVE);
        c11.intoMemorySegment(tile, 4 * VECTOR_BYTES, NATIVE);
        c12.intoMemorySegment(tile, 5 * VECTOR_BYTES, NATIVE);
        c20.intoMemorySegment(tile, 6 * VECTOR_BYTES, NATIVE);
        c21.intoMemorySegment(tile, 7 * VECTOR_BYTES, NATIVE);
        c22.intoMemorySegment(tile, 8 * VECTOR_BYTES, NATIVE);
        c30.intoMemorySegment(tile, 9 * VECTOR_BYTES, NATIVE);
        c31.intoMemorySegment(tile, 10 * VECTOR_BYTES, NATIVE);
        c32.intoMemorySegment(tile, 11 * VECTOR_BYTES, NATIVE);
    }

    /** 2 rows of x times one panel; the sums go to tile, NR floats per row. */
    static void rows2(float[] x, int xOff, MemorySegment b, long bOff, int kc,
            MemorySegment tile) {
        FloatVector c00 = FloatVector.zero(FLOATS), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        for (int p = 0; p < kc; p++) {
            long bo = bOff + (long) p * PANEL_BYTES;
            int xo = xOff + p * 2;
            FloatVector b0 = FloatVector.fromMemorySegment(FLOATS, b, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(FLOATS, b, bo + VECTOR_BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(FLOATS, b, bo + 2 * VECTOR_BYTES, NATIVE);
            FloatVector a0 = FloatVector.broadcast(FLOATS, x[xo]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(FLOATS, x[xo + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
        }
        c00.intoMemorySegment(tile, 0, NATIVE);
        c01.intoMemorySegment(tile, VECTOR_BYTES, NATIVE);
        c02.intoMemorySegment(tile, 2 * VECTOR_BYTES, NATIVE);
        c10.intoMemorySegment(tile, 3 * VECTOR_BYTES, NATIVE);
        c11.intoMemorySegment(tile, 4 * VECTOR_BYTES, NATIVE);
        c12.intoMemorySegment(tile, 5 * VECTOR_BYTES, NATIVE);
    }

    /** 1 rows of x times one panel; the sums go to tile, NR floats per row. */
    static void rows1(float[] x, int xOff, MemorySegment b, long bOff, int kc,
            MemorySegment tile) {
        FloatVector c00 = FloatVector.zero(FLOATS), c01 = c00, c02 = c00;
        for (int p = 0; p < kc; p++) {
            long bo = bOff + (long) p * PANEL_BYTES;
            int xo = xOff + p;
            FloatVector b0 = FloatVector.fromMemorySegment(FLOATS, b, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(FLOATS, b, bo + VECTOR_BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(FLOATS, b, bo + 2 * VECTOR_BYTES, NATIVE);
            FloatVector a0 = FloatVector.broadcast(FLOATS, x[xo]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
        }
        c00.intoMemorySegment(tile, 0, NATIVE);
        c01.intoMemorySegment(tile, VECTOR_BYTES, NATIVE);
        c02.intoMemorySegment(tile, 2 * VECTOR_BYTES, NATIVE);
    }

}
