package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.F32;
import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The F32 GEMM micro-kernels: a tile of {@code R} rows of x times one {@link Lanes#NR}-wide panel of the
 * weight, {@code R x 3} vector accumulators held in registers over {@code kc} steps of k.
 *
 * <p>Arguments (offsets in bytes): x row {@code r}, element {@code p} is at {@code xOff + r * xStride + 4p};
 * the panel holds {@code NR} consecutive floats per step of k starting at {@code bOff}; output row {@code r}
 * starts at {@code cOff + r * cStride}, of which the first {@code cols} (1..NR) columns are written. With
 * {@code first} the tile is stored as the sum plus {@code bias} (may be null), otherwise added to what the
 * output holds (later k blocks).
 *
 * <p>One method per row count because the Vector API keeps vectors in registers only as local variables;
 * they are written out in full, and no vector is ever passed to a helper method, which would box it.
 */
final class GemmKernels {
    private GemmKernels() {
    }

    private static final FloatVector ZERO = FloatVector.zero(FLOATS);
    private static final int LANES = L;
    private static final long PANEL_BYTES = (long) NR * Float.BYTES;

    /** Multiplies {@code rows} (1 to {@link Lanes#MR}) rows using the widest kernels that fit. */
    static void tile(int rows, MemorySegment x, long xOff, long xStride, MemorySegment b, long bOff, int kc,
            MemorySegment c, long cOff, long cStride, int cols, boolean first, MemorySegment bias, long biasOff) {
        int r = 0;
        while (r < rows) {
            int left = rows - r;
            long xr = xOff + r * xStride;
            long cr = cOff + r * cStride;
            if (left >= 8 && Lanes.MR >= 8) {
                rows8(x, xr, xStride, b, bOff, kc, c, cr, cStride, cols, first, bias, biasOff);
                r += 8;
            } else if (left >= 4) {
                rows4(x, xr, xStride, b, bOff, kc, c, cr, cStride, cols, first, bias, biasOff);
                r += 4;
            } else if (left >= 2) {
                rows2(x, xr, xStride, b, bOff, kc, c, cr, cStride, cols, first, bias, biasOff);
                r += 2;
            } else {
                rows1(x, xr, xStride, b, bOff, kc, c, cr, cStride, cols, first, bias, biasOff);
                r += 1;
            }
        }
    }

    /** 8 rows of x times one panel; see the class comment for the arguments. */
    static void rows8(MemorySegment x, long xOff, long xStride, MemorySegment b, long bOff, int kc,
            MemorySegment c, long cOff, long cStride, int cols, boolean first, MemorySegment bias, long biasOff) {
        FloatVector c00 = ZERO, c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00, c40 = c00, c41 = c00, c42 = c00, c50 = c00, c51 = c00, c52 = c00, c60 = c00, c61 = c00, c62 = c00, c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < kc; p++) {
            long bo = bOff + (long) p * PANEL_BYTES;
            long xo = xOff + (long) p * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(FLOATS, b, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(FLOATS, b, bo + VECTOR_BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(FLOATS, b, bo + 2 * VECTOR_BYTES, NATIVE);
            FloatVector a0 = FloatVector.broadcast(FLOATS, x.get(F32, xo));
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(FLOATS, x.get(F32, xo + xStride));
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(FLOATS, x.get(F32, xo + 2 * xStride));
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(FLOATS, x.get(F32, xo + 3 * xStride));
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            FloatVector a4 = FloatVector.broadcast(FLOATS, x.get(F32, xo + 4 * xStride));
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            FloatVector a5 = FloatVector.broadcast(FLOATS, x.get(F32, xo + 5 * xStride));
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            FloatVector a6 = FloatVector.broadcast(FLOATS, x.get(F32, xo + 6 * xStride));
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            FloatVector a7 = FloatVector.broadcast(FLOATS, x.get(F32, xo + 7 * xStride));
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
        }
        VectorMask<Float> m0 = FLOATS.indexInRange(0, cols);
        VectorMask<Float> m1 = FLOATS.indexInRange(LANES, cols);
        VectorMask<Float> m2 = FLOATS.indexInRange(2 * LANES, cols);
        FloatVector d0 = ZERO, d1 = ZERO, d2 = ZERO;
        if (first && bias != null) {
            d0 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff, NATIVE, m0);
            d1 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff + VECTOR_BYTES, NATIVE, m1);
            d2 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff + 2 * VECTOR_BYTES, NATIVE, m2);
        }
        long o0 = cOff;
        c00.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o0, NATIVE, m0)).intoMemorySegment(c, o0, NATIVE, m0);
        c01.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o0 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o0 + VECTOR_BYTES, NATIVE, m1);
        c02.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o0 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o0 + 2 * VECTOR_BYTES, NATIVE, m2);
        long o1 = cOff + cStride;
        c10.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o1, NATIVE, m0)).intoMemorySegment(c, o1, NATIVE, m0);
        c11.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o1 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o1 + VECTOR_BYTES, NATIVE, m1);
        c12.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o1 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o1 + 2 * VECTOR_BYTES, NATIVE, m2);
        long o2 = cOff + 2 * cStride;
        c20.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o2, NATIVE, m0)).intoMemorySegment(c, o2, NATIVE, m0);
        c21.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o2 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o2 + VECTOR_BYTES, NATIVE, m1);
        c22.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o2 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o2 + 2 * VECTOR_BYTES, NATIVE, m2);
        long o3 = cOff + 3 * cStride;
        c30.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o3, NATIVE, m0)).intoMemorySegment(c, o3, NATIVE, m0);
        c31.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o3 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o3 + VECTOR_BYTES, NATIVE, m1);
        c32.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o3 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o3 + 2 * VECTOR_BYTES, NATIVE, m2);
        long o4 = cOff + 4 * cStride;
        c40.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o4, NATIVE, m0)).intoMemorySegment(c, o4, NATIVE, m0);
        c41.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o4 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o4 + VECTOR_BYTES, NATIVE, m1);
        c42.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o4 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o4 + 2 * VECTOR_BYTES, NATIVE, m2);
        long o5 = cOff + 5 * cStride;
        c50.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o5, NATIVE, m0)).intoMemorySegment(c, o5, NATIVE, m0);
        c51.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o5 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o5 + VECTOR_BYTES, NATIVE, m1);
        c52.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o5 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o5 + 2 * VECTOR_BYTES, NATIVE, m2);
        long o6 = cOff + 6 * cStride;
        c60.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o6, NATIVE, m0)).intoMemorySegment(c, o6, NATIVE, m0);
        c61.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o6 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o6 + VECTOR_BYTES, NATIVE, m1);
        c62.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o6 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o6 + 2 * VECTOR_BYTES, NATIVE, m2);
        long o7 = cOff + 7 * cStride;
        c70.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o7, NATIVE, m0)).intoMemorySegment(c, o7, NATIVE, m0);
        c71.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o7 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o7 + VECTOR_BYTES, NATIVE, m1);
        c72.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o7 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o7 + 2 * VECTOR_BYTES, NATIVE, m2);
    }

    /** 4 rows of x times one panel; see the class comment for the arguments. */
    static void rows4(MemorySegment x, long xOff, long xStride, MemorySegment b, long bOff, int kc,
            MemorySegment c, long cOff, long cStride, int cols, boolean first, MemorySegment bias, long biasOff) {
        FloatVector c00 = ZERO, c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < kc; p++) {
            long bo = bOff + (long) p * PANEL_BYTES;
            long xo = xOff + (long) p * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(FLOATS, b, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(FLOATS, b, bo + VECTOR_BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(FLOATS, b, bo + 2 * VECTOR_BYTES, NATIVE);
            FloatVector a0 = FloatVector.broadcast(FLOATS, x.get(F32, xo));
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(FLOATS, x.get(F32, xo + xStride));
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(FLOATS, x.get(F32, xo + 2 * xStride));
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(FLOATS, x.get(F32, xo + 3 * xStride));
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        VectorMask<Float> m0 = FLOATS.indexInRange(0, cols);
        VectorMask<Float> m1 = FLOATS.indexInRange(LANES, cols);
        VectorMask<Float> m2 = FLOATS.indexInRange(2 * LANES, cols);
        FloatVector d0 = ZERO, d1 = ZERO, d2 = ZERO;
        if (first && bias != null) {
            d0 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff, NATIVE, m0);
            d1 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff + VECTOR_BYTES, NATIVE, m1);
            d2 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff + 2 * VECTOR_BYTES, NATIVE, m2);
        }
        long o0 = cOff;
        c00.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o0, NATIVE, m0)).intoMemorySegment(c, o0, NATIVE, m0);
        c01.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o0 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o0 + VECTOR_BYTES, NATIVE, m1);
        c02.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o0 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o0 + 2 * VECTOR_BYTES, NATIVE, m2);
        long o1 = cOff + cStride;
        c10.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o1, NATIVE, m0)).intoMemorySegment(c, o1, NATIVE, m0);
        c11.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o1 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o1 + VECTOR_BYTES, NATIVE, m1);
        c12.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o1 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o1 + 2 * VECTOR_BYTES, NATIVE, m2);
        long o2 = cOff + 2 * cStride;
        c20.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o2, NATIVE, m0)).intoMemorySegment(c, o2, NATIVE, m0);
        c21.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o2 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o2 + VECTOR_BYTES, NATIVE, m1);
        c22.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o2 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o2 + 2 * VECTOR_BYTES, NATIVE, m2);
        long o3 = cOff + 3 * cStride;
        c30.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o3, NATIVE, m0)).intoMemorySegment(c, o3, NATIVE, m0);
        c31.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o3 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o3 + VECTOR_BYTES, NATIVE, m1);
        c32.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o3 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o3 + 2 * VECTOR_BYTES, NATIVE, m2);
    }

    /** 2 rows of x times one panel; see the class comment for the arguments. */
    static void rows2(MemorySegment x, long xOff, long xStride, MemorySegment b, long bOff, int kc,
            MemorySegment c, long cOff, long cStride, int cols, boolean first, MemorySegment bias, long biasOff) {
        FloatVector c00 = ZERO, c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        for (int p = 0; p < kc; p++) {
            long bo = bOff + (long) p * PANEL_BYTES;
            long xo = xOff + (long) p * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(FLOATS, b, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(FLOATS, b, bo + VECTOR_BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(FLOATS, b, bo + 2 * VECTOR_BYTES, NATIVE);
            FloatVector a0 = FloatVector.broadcast(FLOATS, x.get(F32, xo));
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(FLOATS, x.get(F32, xo + xStride));
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
        }
        VectorMask<Float> m0 = FLOATS.indexInRange(0, cols);
        VectorMask<Float> m1 = FLOATS.indexInRange(LANES, cols);
        VectorMask<Float> m2 = FLOATS.indexInRange(2 * LANES, cols);
        FloatVector d0 = ZERO, d1 = ZERO, d2 = ZERO;
        if (first && bias != null) {
            d0 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff, NATIVE, m0);
            d1 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff + VECTOR_BYTES, NATIVE, m1);
            d2 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff + 2 * VECTOR_BYTES, NATIVE, m2);
        }
        long o0 = cOff;
        c00.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o0, NATIVE, m0)).intoMemorySegment(c, o0, NATIVE, m0);
        c01.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o0 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o0 + VECTOR_BYTES, NATIVE, m1);
        c02.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o0 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o0 + 2 * VECTOR_BYTES, NATIVE, m2);
        long o1 = cOff + cStride;
        c10.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o1, NATIVE, m0)).intoMemorySegment(c, o1, NATIVE, m0);
        c11.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o1 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o1 + VECTOR_BYTES, NATIVE, m1);
        c12.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o1 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o1 + 2 * VECTOR_BYTES, NATIVE, m2);
    }

    /** 1 rows of x times one panel; see the class comment for the arguments. */
    static void rows1(MemorySegment x, long xOff, long xStride, MemorySegment b, long bOff, int kc,
            MemorySegment c, long cOff, long cStride, int cols, boolean first, MemorySegment bias, long biasOff) {
        FloatVector c00 = ZERO, c01 = c00, c02 = c00;
        for (int p = 0; p < kc; p++) {
            long bo = bOff + (long) p * PANEL_BYTES;
            long xo = xOff + (long) p * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(FLOATS, b, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(FLOATS, b, bo + VECTOR_BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(FLOATS, b, bo + 2 * VECTOR_BYTES, NATIVE);
            FloatVector a0 = FloatVector.broadcast(FLOATS, x.get(F32, xo));
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
        }
        VectorMask<Float> m0 = FLOATS.indexInRange(0, cols);
        VectorMask<Float> m1 = FLOATS.indexInRange(LANES, cols);
        VectorMask<Float> m2 = FLOATS.indexInRange(2 * LANES, cols);
        FloatVector d0 = ZERO, d1 = ZERO, d2 = ZERO;
        if (first && bias != null) {
            d0 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff, NATIVE, m0);
            d1 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff + VECTOR_BYTES, NATIVE, m1);
            d2 = FloatVector.fromMemorySegment(FLOATS, bias, biasOff + 2 * VECTOR_BYTES, NATIVE, m2);
        }
        long o0 = cOff;
        c00.add(first ? d0 : FloatVector.fromMemorySegment(FLOATS, c, o0, NATIVE, m0)).intoMemorySegment(c, o0, NATIVE, m0);
        c01.add(first ? d1 : FloatVector.fromMemorySegment(FLOATS, c, o0 + VECTOR_BYTES, NATIVE, m1)).intoMemorySegment(c, o0 + VECTOR_BYTES, NATIVE, m1);
        c02.add(first ? d2 : FloatVector.fromMemorySegment(FLOATS, c, o0 + 2 * VECTOR_BYTES, NATIVE, m2)).intoMemorySegment(c, o0 + 2 * VECTOR_BYTES, NATIVE, m2);
    }

}
