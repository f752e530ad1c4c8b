package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;
import static dev.infer4j.kernels.cpu.matmul.SmallBatchMatmul.CHUNK;
import static dev.infer4j.kernels.cpu.matmul.SmallBatchMatmul.TILE_ROW;
import static dev.infer4j.kernels.cpu.matmul.SmallBatchMatmul.WIDE;
import static dev.infer4j.kernels.cpu.matmul.SmallBatchMatmul.row;
import static dev.infer4j.kernels.cpu.matmul.SmallBatchMatmul.store;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * {@link SmallBatchMatmul}'s Q8_0 kernels: F32 FMAs of int8 quants widened to floats, per row the same operations
 * in the same order as {@link Q8_0Panels}'s GEMV. Eight rows per pass with AVX-512's 32 registers, four otherwise;
 * one method per row count because the vectors must stay local variables (see {@link GemmKernels}).
 */
final class Q8_0SmallBatch {
    private Q8_0SmallBatch() {
    }

    /** {@link SmallBatchMatmul#multiply} for Q8_0 weights. */
    static void multiply(Q8_0Panels w, SmallBatchInput xs, MemorySegment out, long outStride, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        int rows = xs.rows();
        float[] x = xs.floats();
        MemorySegment tile = scratch.tile;
        for (int panel = from; panel < to; panel++) {
            float[] ds = w.decodePanelScales(panel, scratch);
            int r0 = 0;
            if (WIDE && rows >= 2 * CHUNK) {
                // unlike the lean one-row GEMV, eight rows per weight load leave too few DRAM reads in flight
                // (two threads, 8 rows x 5632x2048: 18.7-19.3 GB/s warmed, 15.1-17.1 without)
                CacheWarmer.warm(w.quants, w.quantOffset(panel, 0), w.quantOffset(panel, w.blocks) - w.quantOffset(panel, 0),
                        tile);
            }
            for (; WIDE && rows - r0 >= 2 * CHUNK; r0 += 2 * CHUNK) {
                q8_0Dot8(w, panel, ds, x, xs.floatsOffset(r0), xs.floatsOffset(r0 + 1) - xs.floatsOffset(r0), tile);
                store(w, tile, r0, 2 * CHUNK, rows, out, outStride, bias, panel);
            }
            for (; r0 < rows; r0 += CHUNK) {
                q8_0Dot(w, panel, ds, x, xs.floatsOffset(r0), xs.floatsOffset(row(r0 + 1, rows)),
                        xs.floatsOffset(row(r0 + 2, rows)), xs.floatsOffset(row(r0 + 3, rows)), tile);
                store(w, tile, r0, CHUNK, rows, out, outStride, bias, panel);
            }
        }
    }

    /**
     * {@link Q8_0Panels}'s GEMV for four F32 rows of x (at indices {@code o0..o3} of its heap copy) and a whole
     * panel: per block, int8 quants widened to float times x in F32 FMAs, then one FMA with the block's scales into
     * the row's sums, which live in {@code tile} (row {@code i} at {@code i * NR} floats) to leave the registers to
     * the 12 block sums. F32 FMAs cost the same per product as the GEMV's, so the gain over four GEMVs is in loading
     * and widening each quant once and broadcasting each input once per panel rather than per group.
     */
    private static void q8_0Dot(Q8_0Panels w, int panel, float[] ds, float[] x, int o0, int o1, int o2,
            int o3, MemorySegment tile) {
        MemorySegment quants = w.quants;
        FloatVector zero = FloatVector.zero(FLOATS);
        for (int v = 0; v < 4 * 3; v++) {
            zero.intoMemorySegment(tile, v / 3 * TILE_ROW + v % 3 * VECTOR_BYTES, NATIVE);
        }
        for (int b = 0; b < w.blocks; b++) {
            FloatVector t00 = zero, t01 = zero, t02 = zero;
            FloatVector t10 = zero, t11 = zero, t12 = zero;
            FloatVector t20 = zero, t21 = zero, t22 = zero;
            FloatVector t30 = zero, t31 = zero, t32 = zero;
            long q = w.quantOffset(panel, b);
            int xb = b * ScaledBlockPanels.BLOCK;
            for (int i = 0; i < ScaledBlockPanels.BLOCK; i++) {
                long qi = q + (long) i * NR;
                FloatVector w0 = VectorLoads.int8(quants, qi);
                FloatVector w1 = VectorLoads.int8(quants, qi + L);
                FloatVector w2 = VectorLoads.int8(quants, qi + 2 * L);
                int xi = xb + i;
                FloatVector x0 = FloatVector.broadcast(FLOATS, x[o0 + xi]);
                t00 = w0.fma(x0, t00);
                t01 = w1.fma(x0, t01);
                t02 = w2.fma(x0, t02);
                FloatVector x1 = FloatVector.broadcast(FLOATS, x[o1 + xi]);
                t10 = w0.fma(x1, t10);
                t11 = w1.fma(x1, t11);
                t12 = w2.fma(x1, t12);
                FloatVector x2 = FloatVector.broadcast(FLOATS, x[o2 + xi]);
                t20 = w0.fma(x2, t20);
                t21 = w1.fma(x2, t21);
                t22 = w2.fma(x2, t22);
                FloatVector x3 = FloatVector.broadcast(FLOATS, x[o3 + xi]);
                t30 = w0.fma(x3, t30);
                t31 = w1.fma(x3, t31);
                t32 = w2.fma(x3, t32);
            }
            FloatVector d0 = FloatVector.fromArray(FLOATS, ds, b * NR);
            FloatVector d1 = FloatVector.fromArray(FLOATS, ds, b * NR + L);
            FloatVector d2 = FloatVector.fromArray(FLOATS, ds, b * NR + 2 * L);
            long v1 = VECTOR_BYTES;
            long v2 = 2 * VECTOR_BYTES;
            long r1 = TILE_ROW;
            long r2 = 2 * TILE_ROW;
            long r3 = 3 * TILE_ROW;
            t00.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, 0, NATIVE)).intoMemorySegment(tile, 0, NATIVE);
            t01.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, v1, NATIVE)).intoMemorySegment(tile, v1, NATIVE);
            t02.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, v2, NATIVE)).intoMemorySegment(tile, v2, NATIVE);
            t10.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, r1, NATIVE)).intoMemorySegment(tile, r1, NATIVE);
            t11.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, r1 + v1, NATIVE)).intoMemorySegment(tile, r1 + v1, NATIVE);
            t12.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, r1 + v2, NATIVE)).intoMemorySegment(tile, r1 + v2, NATIVE);
            t20.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, r2, NATIVE)).intoMemorySegment(tile, r2, NATIVE);
            t21.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, r2 + v1, NATIVE)).intoMemorySegment(tile, r2 + v1, NATIVE);
            t22.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, r2 + v2, NATIVE)).intoMemorySegment(tile, r2 + v2, NATIVE);
            t30.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, r3, NATIVE)).intoMemorySegment(tile, r3, NATIVE);
            t31.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, r3 + v1, NATIVE)).intoMemorySegment(tile, r3 + v1, NATIVE);
            t32.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, r3 + v2, NATIVE)).intoMemorySegment(tile, r3 + v2, NATIVE);
        }
    }

    /**
     * {@link #q8_0Dot} for eight rows of x where 32 vector registers hold their 24 block sums (AVX-512): each quant
     * vector is loaded and widened once for eight rows instead of twice. Rows are {@code stride} floats apart in x
     * from index {@code o0}; row {@code i}'s sums go to {@code i * NR} floats of {@code tile}. Per row, the same F32
     * operations in the same order as the GEMV.
     */
    private static void q8_0Dot8(Q8_0Panels w, int panel, float[] ds, float[] x, int o0, int stride, MemorySegment tile) {
        MemorySegment quants = w.quants;
        FloatVector zero = FloatVector.zero(FLOATS);
        for (int v = 0; v < 8 * 3; v++) {
            zero.intoMemorySegment(tile, v / 3 * TILE_ROW + v % 3 * VECTOR_BYTES, NATIVE);
        }
        for (int b = 0; b < w.blocks; b++) {
            FloatVector t00 = zero, t01 = zero, t02 = zero;
            FloatVector t10 = zero, t11 = zero, t12 = zero;
            FloatVector t20 = zero, t21 = zero, t22 = zero;
            FloatVector t30 = zero, t31 = zero, t32 = zero;
            FloatVector t40 = zero, t41 = zero, t42 = zero;
            FloatVector t50 = zero, t51 = zero, t52 = zero;
            FloatVector t60 = zero, t61 = zero, t62 = zero;
            FloatVector t70 = zero, t71 = zero, t72 = zero;
            long q = w.quantOffset(panel, b);
            int xb = o0 + b * ScaledBlockPanels.BLOCK;
            for (int i = 0; i < ScaledBlockPanels.BLOCK; i++) {
                long qi = q + (long) i * NR;
                FloatVector w0 = VectorLoads.int8(quants, qi);
                FloatVector w1 = VectorLoads.int8(quants, qi + L);
                FloatVector w2 = VectorLoads.int8(quants, qi + 2 * L);
                int xi = xb + i;
                FloatVector x0 = FloatVector.broadcast(FLOATS, x[xi]);
                t00 = w0.fma(x0, t00);
                t01 = w1.fma(x0, t01);
                t02 = w2.fma(x0, t02);
                FloatVector x1 = FloatVector.broadcast(FLOATS, x[xi + stride]);
                t10 = w0.fma(x1, t10);
                t11 = w1.fma(x1, t11);
                t12 = w2.fma(x1, t12);
                FloatVector x2 = FloatVector.broadcast(FLOATS, x[xi + 2 * stride]);
                t20 = w0.fma(x2, t20);
                t21 = w1.fma(x2, t21);
                t22 = w2.fma(x2, t22);
                FloatVector x3 = FloatVector.broadcast(FLOATS, x[xi + 3 * stride]);
                t30 = w0.fma(x3, t30);
                t31 = w1.fma(x3, t31);
                t32 = w2.fma(x3, t32);
                FloatVector x4 = FloatVector.broadcast(FLOATS, x[xi + 4 * stride]);
                t40 = w0.fma(x4, t40);
                t41 = w1.fma(x4, t41);
                t42 = w2.fma(x4, t42);
                FloatVector x5 = FloatVector.broadcast(FLOATS, x[xi + 5 * stride]);
                t50 = w0.fma(x5, t50);
                t51 = w1.fma(x5, t51);
                t52 = w2.fma(x5, t52);
                FloatVector x6 = FloatVector.broadcast(FLOATS, x[xi + 6 * stride]);
                t60 = w0.fma(x6, t60);
                t61 = w1.fma(x6, t61);
                t62 = w2.fma(x6, t62);
                FloatVector x7 = FloatVector.broadcast(FLOATS, x[xi + 7 * stride]);
                t70 = w0.fma(x7, t70);
                t71 = w1.fma(x7, t71);
                t72 = w2.fma(x7, t72);
            }
            FloatVector d0 = FloatVector.fromArray(FLOATS, ds, b * NR);
            FloatVector d1 = FloatVector.fromArray(FLOATS, ds, b * NR + L);
            FloatVector d2 = FloatVector.fromArray(FLOATS, ds, b * NR + 2 * L);
            t00.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, 0, NATIVE)).intoMemorySegment(tile, 0, NATIVE);
            t01.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, VECTOR_BYTES, NATIVE);
            t02.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, 2 * VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 2 * VECTOR_BYTES, NATIVE);
            t10.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, TILE_ROW, NATIVE)).intoMemorySegment(tile, TILE_ROW, NATIVE);
            t11.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, TILE_ROW + VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, TILE_ROW + VECTOR_BYTES, NATIVE);
            t12.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, TILE_ROW + 2 * VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, TILE_ROW + 2 * VECTOR_BYTES, NATIVE);
            t20.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, 2 * TILE_ROW, NATIVE)).intoMemorySegment(tile, 2 * TILE_ROW, NATIVE);
            t21.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, 2 * TILE_ROW + VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 2 * TILE_ROW + VECTOR_BYTES, NATIVE);
            t22.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, 2 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 2 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE);
            t30.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, 3 * TILE_ROW, NATIVE)).intoMemorySegment(tile, 3 * TILE_ROW, NATIVE);
            t31.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, 3 * TILE_ROW + VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 3 * TILE_ROW + VECTOR_BYTES, NATIVE);
            t32.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, 3 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 3 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE);
            t40.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, 4 * TILE_ROW, NATIVE)).intoMemorySegment(tile, 4 * TILE_ROW, NATIVE);
            t41.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, 4 * TILE_ROW + VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 4 * TILE_ROW + VECTOR_BYTES, NATIVE);
            t42.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, 4 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 4 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE);
            t50.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, 5 * TILE_ROW, NATIVE)).intoMemorySegment(tile, 5 * TILE_ROW, NATIVE);
            t51.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, 5 * TILE_ROW + VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 5 * TILE_ROW + VECTOR_BYTES, NATIVE);
            t52.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, 5 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 5 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE);
            t60.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, 6 * TILE_ROW, NATIVE)).intoMemorySegment(tile, 6 * TILE_ROW, NATIVE);
            t61.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, 6 * TILE_ROW + VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 6 * TILE_ROW + VECTOR_BYTES, NATIVE);
            t62.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, 6 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 6 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE);
            t70.fma(d0, FloatVector.fromMemorySegment(FLOATS, tile, 7 * TILE_ROW, NATIVE)).intoMemorySegment(tile, 7 * TILE_ROW, NATIVE);
            t71.fma(d1, FloatVector.fromMemorySegment(FLOATS, tile, 7 * TILE_ROW + VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 7 * TILE_ROW + VECTOR_BYTES, NATIVE);
            t72.fma(d2, FloatVector.fromMemorySegment(FLOATS, tile, 7 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE)).intoMemorySegment(tile, 7 * TILE_ROW + 2 * VECTOR_BYTES, NATIVE);
        }
    }
}
