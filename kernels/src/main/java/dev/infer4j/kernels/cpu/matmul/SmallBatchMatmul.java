package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.F32;
import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.INTS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.PAIR_BYTES;
import static dev.infer4j.kernels.cpu.matmul.Lanes.PAIR_SHORTS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Products of a few rows of x (a batched decode step: one row per sequence) with Q4_0, Q8_0 and Q6_K panels.
 * The GEMM path would unpack every panel block to F32 for the micro-kernel, which for a few rows costs far more
 * than the multiply; here each panel is streamed from memory once per call and each weight vector is loaded and
 * widened once for {@link #CHUNK} rows, whose sums are kept in registers.
 *
 * <p>Numerics are those of the weight's GEMV kernel run row by row, bit for bit: the same 8-bit rounding of x
 * ({@link QuantizedInput}) and exact 16-bit integer sums for Q4_0 and Q6_K ({@link NibblePanels#groupDot},
 * {@link Q6_KPanels}), the same F32 operations in the same order for Q8_0 ({@link Q8_0Panels}). A batch
 * therefore produces the same tokens as its sequences decoded one at a time.
 *
 * <p>Rows go in chunks of {@link #CHUNK}; a last, shorter chunk repeats its last row (the results are equal and
 * written twice), so one kernel per format serves every n.
 */
final class SmallBatchMatmul {
    /** Most rows this path takes; bigger products go to the GEMM, whose F32 unpack pays off over many rows. */
    static final int MAX_ROWS = 16;
    /** Rows per kernel call: 4 rows' accumulators and the shared weight vectors fit AVX2's 16 registers. */
    static final int CHUNK = 4;
    private static final long TILE_ROW = (long) NR * Float.BYTES;

    private SmallBatchMatmul() {
    }

    /** Whether {@code n} rows times {@code w} run here rather than in the GEMM. */
    static boolean handles(PackedWeight w, int n) {
        return n >= 2 && n <= MAX_ROWS
                && (w instanceof Q4_0Panels || w instanceof Q8_0Panels || w instanceof Q6_KPanels);
    }

    /** Whether the kernels for {@code w} read x rounded to 8 bits (every format but Q8_0, as in their GEMV). */
    static boolean roundsInput(PackedWeight w) {
        return !(w instanceof Q8_0Panels);
    }

    /** {@code out[r] = x[r] · wᵀ + bias} for every row of {@code xs}, features of panels {@code [from, to)}. */
    static void multiply(PackedWeight w, SmallBatchInput xs, MemorySegment out, long outStride, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        switch (w) {
            case Q4_0Panels q -> q4_0(q, xs, out, outStride, bias, from, to, scratch);
            case Q8_0Panels q -> q8_0(q, xs, out, outStride, bias, from, to, scratch);
            case Q6_KPanels q -> q6_k(q, xs, out, outStride, bias, from, to, scratch);
            default -> throw new IllegalStateException("no small-batch kernel for " + w);
        }
    }

    private static void q4_0(Q4_0Panels w, SmallBatchInput xs, MemorySegment out, long outStride, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        int rows = xs.rows();
        MemorySegment tile = scratch.tile;
        for (int panel = from; panel < to; panel++) {
            float[] ds = w.decodePanelScales(panel, scratch);
            long q = w.quantOffset(panel, 0);
            for (int r0 = 0; r0 < rows; r0 += CHUNK) {
                for (int g = 0; g < 3; g++) {
                    // as in Q4_0Panels.gemv: the low nibbles' 8 comes off with x's sums, the high ones read as q - 8
                    nibbleGroupDot(w.quants, q + NibblePanels.groupOffset(g, 0, w.blocks), w.blocks, ds, g * L,
                            xs.quantized(r0), xs.quantized(row(r0 + 1, rows)), xs.quantized(row(r0 + 2, rows)),
                            xs.quantized(row(r0 + 3, rows)), -8, 0, tile, g * VECTOR_BYTES);
                }
                store(w, tile, r0, rows, out, outStride, bias, panel);
            }
        }
    }

    /**
     * {@link NibblePanels#groupDot} for four rows of x: each pair step's quants are loaded and split into nibbles
     * once. Row {@code i}'s L results go to {@code tileAt + i * NR} floats of {@code tile}.
     */
    private static void nibbleGroupDot(MemorySegment quants, long q, int blocks, float[] scales, int at,
            QuantizedInput x0, QuantizedInput x1, QuantizedInput x2, QuantizedInput x3, int lowFactor, int highFactor,
            MemorySegment tile, long tileAt) {
        int[] p0 = x0.pairs;
        int[] p1 = x1.pairs;
        int[] p2 = x2.pairs;
        int[] p3 = x3.pairs;
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        ShortVector zero = ShortVector.zero(PAIR_SHORTS);
        ShortVector s0 = zero;
        ShortVector s1 = zero;
        ShortVector s2 = zero;
        ShortVector s3 = zero;
        int steps = blocks * 8;
        for (int p = 0; p < steps; p++) {
            ShortVector w = (ShortVector) ByteVector.fromMemorySegment(PAIR_BYTES, quants, q + p * NibblePanels.PAIR_STEP,
                    NATIVE).convertShape(VectorOperators.B2S, PAIR_SHORTS, 0);
            ShortVector low = w.and((short) 0xF);
            ShortVector high = w.lanewise(VectorOperators.ASHR, 4);
            int xp = p + (p & ~7);
            s0 = s0.add(low.mul(pair(p0[xp]))).add(high.mul(pair(p0[xp + 8])));
            s1 = s1.add(low.mul(pair(p1[xp]))).add(high.mul(pair(p1[xp + 8])));
            s2 = s2.add(low.mul(pair(p2[xp]))).add(high.mul(pair(p2[xp + 8])));
            s3 = s3.add(low.mul(pair(p3[xp]))).add(high.mul(pair(p3[xp + 8])));
            if ((p & 7) == 7) {
                int b = p >> 3;
                FloatVector scale = FloatVector.fromArray(FLOATS, scales, at + b * NR);
                a0 = NibblePanels.toFloats(s0, correction(x0, b, lowFactor, highFactor)).fma(scale.mul(x0.scales[b]), a0);
                a1 = NibblePanels.toFloats(s1, correction(x1, b, lowFactor, highFactor)).fma(scale.mul(x1.scales[b]), a1);
                a2 = NibblePanels.toFloats(s2, correction(x2, b, lowFactor, highFactor)).fma(scale.mul(x2.scales[b]), a2);
                a3 = NibblePanels.toFloats(s3, correction(x3, b, lowFactor, highFactor)).fma(scale.mul(x3.scales[b]), a3);
                s0 = zero;
                s1 = zero;
                s2 = zero;
                s3 = zero;
            }
        }
        a0.intoMemorySegment(tile, tileAt, NATIVE);
        a1.intoMemorySegment(tile, tileAt + TILE_ROW, NATIVE);
        a2.intoMemorySegment(tile, tileAt + 2 * TILE_ROW, NATIVE);
        a3.intoMemorySegment(tile, tileAt + 3 * TILE_ROW, NATIVE);
    }

    /** The integer term {@link NibblePanels#groupDot} adds to block {@code b}'s sum: factors times x's half-block sums. */
    private static int correction(QuantizedInput x, int b, int lowFactor, int highFactor) {
        int low = x.lowSums[b];
        return lowFactor * low + highFactor * (x.sums[b] - low);
    }

    private static void q8_0(Q8_0Panels w, SmallBatchInput xs, MemorySegment out, long outStride, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        int rows = xs.rows();
        MemorySegment x = xs.x();
        MemorySegment tile = scratch.tile;
        for (int panel = from; panel < to; panel++) {
            float[] ds = w.decodePanelScales(panel, scratch);
            for (int r0 = 0; r0 < rows; r0 += CHUNK) {
                for (int g = 0; g < 3; g++) {
                    q8_0GroupDot(w, panel, g, ds, x, xs.rowOffset(r0), xs.rowOffset(row(r0 + 1, rows)),
                            xs.rowOffset(row(r0 + 2, rows)), xs.rowOffset(row(r0 + 3, rows)), tile, g * VECTOR_BYTES);
                }
                store(w, tile, r0, rows, out, outStride, bias, panel);
            }
        }
    }

    /**
     * {@link Q8_0Panels}'s GEMV for one group of L features and four F32 rows of x (at byte offsets {@code o0..o3}):
     * per block, int8 quants widened to float times x in F32 FMAs, then one FMA with the block's scales.
     */
    private static void q8_0GroupDot(Q8_0Panels w, int panel, int g, float[] ds, MemorySegment x,
            long o0, long o1, long o2, long o3, MemorySegment tile, long tileAt) {
        MemorySegment quants = w.quants;
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int b = 0; b < w.blocks; b++) {
            FloatVector t0 = FloatVector.zero(FLOATS);
            FloatVector t1 = t0;
            FloatVector t2 = t0;
            FloatVector t3 = t0;
            long q = w.quantOffset(panel, b) + (long) g * L;
            long xb = (long) b * ScaledBlockPanels.BLOCK * Float.BYTES;
            for (int i = 0; i < ScaledBlockPanels.BLOCK; i++) {
                FloatVector wv = VectorLoads.int8(quants, q + (long) i * NR);
                long xi = xb + (long) i * Float.BYTES;
                t0 = wv.fma(FloatVector.broadcast(FLOATS, x.get(F32, o0 + xi)), t0);
                t1 = wv.fma(FloatVector.broadcast(FLOATS, x.get(F32, o1 + xi)), t1);
                t2 = wv.fma(FloatVector.broadcast(FLOATS, x.get(F32, o2 + xi)), t2);
                t3 = wv.fma(FloatVector.broadcast(FLOATS, x.get(F32, o3 + xi)), t3);
            }
            FloatVector d = FloatVector.fromArray(FLOATS, ds, b * NR + g * L);
            a0 = t0.fma(d, a0);
            a1 = t1.fma(d, a1);
            a2 = t2.fma(d, a2);
            a3 = t3.fma(d, a3);
        }
        a0.intoMemorySegment(tile, tileAt, NATIVE);
        a1.intoMemorySegment(tile, tileAt + TILE_ROW, NATIVE);
        a2.intoMemorySegment(tile, tileAt + 2 * TILE_ROW, NATIVE);
        a3.intoMemorySegment(tile, tileAt + 3 * TILE_ROW, NATIVE);
    }

    private static void q6_k(Q6_KPanels w, SmallBatchInput xs, MemorySegment out, long outStride, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        int rows = xs.rows();
        MemorySegment tile = scratch.tile;
        float[] scales = scratch.row(w.subBlocks * NR);
        for (int panel = from; panel < to; panel++) {
            w.decode(panel, 0, w.subBlocks, scales);
            long q = w.panelQuants(panel);
            for (int r0 = 0; r0 < rows; r0 += CHUNK) {
                for (int g = 0; g < 3; g++) {
                    q6_kGroupDot(w.quants, q + w.groupOffset(g, 0), w.subBlocks, scales, g * L, xs.quantized(r0),
                            xs.quantized(row(r0 + 1, rows)), xs.quantized(row(r0 + 2, rows)),
                            xs.quantized(row(r0 + 3, rows)), tile, g * VECTOR_BYTES);
                }
                store(w, tile, r0, rows, out, outStride, bias, panel);
            }
        }
    }

    /** {@link Q6_KPanels}'s group dot product for four rows: signed byte quants, a sub-block closed every 8 steps. */
    private static void q6_kGroupDot(MemorySegment quants, long q, int subBlocks, float[] scales, int at,
            QuantizedInput x0, QuantizedInput x1, QuantizedInput x2, QuantizedInput x3, MemorySegment tile, long tileAt) {
        int[] p0 = x0.pairs;
        int[] p1 = x1.pairs;
        int[] p2 = x2.pairs;
        int[] p3 = x3.pairs;
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        ShortVector zero = ShortVector.zero(PAIR_SHORTS);
        ShortVector s0 = zero;
        ShortVector s1 = zero;
        ShortVector s2 = zero;
        ShortVector s3 = zero;
        int steps = subBlocks * 8;
        for (int p = 0; p < steps; p++) {
            ShortVector w = (ShortVector) ByteVector.fromMemorySegment(PAIR_BYTES, quants, q + p * NibblePanels.PAIR_STEP,
                    NATIVE).convertShape(VectorOperators.B2S, PAIR_SHORTS, 0);
            s0 = s0.add(w.mul(pair(p0[p])));
            s1 = s1.add(w.mul(pair(p1[p])));
            s2 = s2.add(w.mul(pair(p2[p])));
            s3 = s3.add(w.mul(pair(p3[p])));
            if ((p & 7) == 7) {
                int s = p >> 3;
                FloatVector scale = FloatVector.fromArray(FLOATS, scales, at + s * NR);
                a0 = NibblePanels.toFloats(s0, 0).fma(scale.mul(x0.scales[s >> 1]), a0);
                a1 = NibblePanels.toFloats(s1, 0).fma(scale.mul(x1.scales[s >> 1]), a1);
                a2 = NibblePanels.toFloats(s2, 0).fma(scale.mul(x2.scales[s >> 1]), a2);
                a3 = NibblePanels.toFloats(s3, 0).fma(scale.mul(x3.scales[s >> 1]), a3);
                s0 = zero;
                s1 = zero;
                s2 = zero;
                s3 = zero;
            }
        }
        a0.intoMemorySegment(tile, tileAt, NATIVE);
        a1.intoMemorySegment(tile, tileAt + TILE_ROW, NATIVE);
        a2.intoMemorySegment(tile, tileAt + 2 * TILE_ROW, NATIVE);
        a3.intoMemorySegment(tile, tileAt + 3 * TILE_ROW, NATIVE);
    }

    /** x's pair of 16-bit values in every pair of lanes. */
    private static ShortVector pair(int pair) {
        return IntVector.broadcast(INTS, pair).reinterpretAsShorts();
    }

    /** Row {@code r} of the chunk, or the batch's last row where the chunk runs past it. */
    private static int row(int r, int rows) {
        return Math.min(r, rows - 1);
    }

    /** Copies the chunk's rows from {@code tile} ({@code NR} floats each) to their features in {@code out}, adding the bias. */
    private static void store(PackedWeight w, MemorySegment tile, int r0, int rows, MemorySegment out, long outStride,
            MemorySegment bias, int panel) {
        int first = panel * NR;
        int cols = w.columnsOf(panel);
        for (int r = r0; r < Math.min(rows, r0 + CHUNK); r++) {
            long tileAt = (long) (r - r0) * NR;
            long outAt = r * outStride + (long) first * Float.BYTES;
            for (int c = 0; c < cols; c++) {
                float v = tile.getAtIndex(F32, tileAt + c);
                if (bias != null) {
                    v += bias.getAtIndex(F32, first + c);
                }
                out.set(F32, outAt + (long) c * Float.BYTES, v);
            }
        }
    }
}
