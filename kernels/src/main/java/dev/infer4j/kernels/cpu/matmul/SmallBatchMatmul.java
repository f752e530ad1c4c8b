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
 * widened once for {@link #CHUNK} rows (eight for Q4_0 and Q8_0 where AVX-512 gives 32 registers), whose
 * running sums stay in registers. The kernels are bound by arithmetic more than by memory (16-bit multiplies for
 * Q4_0 and Q6_K, F32 FMAs for Q8_0), so the eight-row passes first pull the panel into the cache
 * ({@link CacheWarmer}). The Q8_0 kernels are in {@link Q8_0SmallBatch}. Eight-row Q8_0 (two threads, 8 rows x
 * 5632x2048 from DRAM): 18.7-19.3 GB/s against 13.2 for two four-row passes; TinyLlama-shape Q8_0, 8 HTTP streams:
 * 3.70x the single stream, was 2.67x.
 *
 * <p>Numerics are those of the weight's GEMV kernel run row by row, bit for bit: the same 8-bit rounding of x
 * ({@link QuantizedInput}) and exact 16-bit integer sums for Q4_0 and Q6_K ({@link NibblePanels#groupDot},
 * {@link Q6_KPanels}), the same F32 operations in the same order for Q8_0 ({@link Q8_0Panels}). A sequence's row
 * thus gets the same matmul results in a batched decode step as in a step of its own.
 *
 * <p>Rows go in chunks of {@link #CHUNK}; a last, shorter chunk repeats its last row (the results are equal and
 * written twice), so one kernel per format serves every n.
 */
final class SmallBatchMatmul {
    /** Most rows this path takes; bigger products go to the GEMM, whose F32 unpack pays off over many rows. */
    static final int MAX_ROWS = 16;
    /**
     * Most rows of Q8_0 weights this path takes: its F32 products gain less per row than the integer ones, so with
     * four-row passes it hands over at 12; the eight-row kernel beats the GEMM up to 16 (two threads, Q8_0
     * 5632x2048 from DRAM: 13 rows 10.4 vs 8.4 GB/s, 16 rows 11.4-11.6 vs 8.2).
     */
    static final int MAX_Q8_0_ROWS = Lanes.L >= 16 ? MAX_ROWS : 12;
    /** Rows per kernel call: 4 rows' accumulators and the shared weight vectors fit AVX2's 16 registers. */
    static final int CHUNK = 4;
    /** Bytes of one row of the result tile. */
    static final long TILE_ROW = (long) NR * Float.BYTES;
    /** Bytes of one row's 16-bit sums of a block (or sub-block) of L features. */
    private static final long SUMS_BYTES = 4L * L;
    /** Whether 32 vector registers (AVX-512) let the Q4_0 and Q8_0 kernels take eight rows at once. */
    static final boolean WIDE = L >= 16;
    /** Most inputs whose 16-bit sums (per 16 inputs, {@link #CHUNK} rows) fit the scratch's F32 panel: 24,576. */
    static final int MAX_INPUTS = (int) ((long) MatmulScratch.UNPACKED_KC * NR * Float.BYTES / (CHUNK * SUMS_BYTES) * 16);

    private SmallBatchMatmul() {
    }

    /** Whether {@code n} rows times {@code w} run here rather than in the GEMM. */
    static boolean handles(PackedWeight w, int n) {
        return n >= 2 && n <= maxRows(w) && w.inFeatures <= MAX_INPUTS;
    }

    /**
     * Rows up to which this path beats the GEMM (GemvBenchmark with rows = 8, 12, 16, 17, 32 at TinyLlama sizes, 2
     * threads): the GEMM's cost is mostly its per-call F32 unpack, ours grows by one pass per 4 (or 8) rows. Q8_0:
     * {@link #MAX_Q8_0_ROWS}. 0 for formats without a kernel.
     */
    static int maxRows(PackedWeight w) {
        return switch (w) {
            case Q4_0Panels q -> MAX_ROWS;
            case Q6_KPanels q -> MAX_ROWS;
            case Q8_0Panels q -> MAX_Q8_0_ROWS;
            default -> 0;
        };
    }

    /** {@code out[r] = x[r] · wᵀ + bias} for every row of {@code xs}, features of panels {@code [from, to)}. */
    static void multiply(PackedWeight w, SmallBatchInput xs, MemorySegment out, long outStride, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        switch (w) {
            case Q4_0Panels q -> q4_0(q, xs, out, outStride, bias, from, to, scratch);
            case Q8_0Panels q -> Q8_0SmallBatch.multiply(q, xs, out, outStride, bias, from, to, scratch);
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
            int r0 = 0;
            long half = (long) w.blocks * CHUNK * SUMS_BYTES;
            if (WIDE && 2 * half <= scratch.panel.byteSize()) {
                if (rows >= 2 * CHUNK) { // the eight-row pass is compute-heavy: read the panel from L2 (+5 %)
                    CacheWarmer.warm(w.quants, q, NibblePanels.groupOffset(Lanes.PANEL_VECTORS, 0, w.blocks), tile);
                }
                for (; rows - r0 >= 2 * CHUNK; r0 += 2 * CHUNK) {
                    for (int g = 0; g < 3; g++) {
                        long gq = q + NibblePanels.groupOffset(g, 0, w.blocks);
                        nibbleBlockSums8(w.quants, gq, w.blocks, xs, r0, scratch.panel, half);
                        scaleBlockSums(scratch.panel, 0, w.blocks, ds, g * L, xs.quantized(r0), xs.quantized(r0 + 1),
                                xs.quantized(r0 + 2), xs.quantized(r0 + 3), -8, 0, tile, g * VECTOR_BYTES);
                        scaleBlockSums(scratch.panel, half, w.blocks, ds, g * L, xs.quantized(r0 + 4),
                                xs.quantized(r0 + 5), xs.quantized(r0 + 6), xs.quantized(r0 + 7), -8, 0, tile,
                                g * VECTOR_BYTES + CHUNK * TILE_ROW);
                    }
                    store(w, tile, r0, 2 * CHUNK, rows, out, outStride, bias, panel);
                }
            }
            for (; r0 < rows; r0 += CHUNK) {
                for (int g = 0; g < 3; g++) {
                    // as in Q4_0Panels.gemv: the low nibbles' 8 comes off with x's sums, the high ones read as q - 8
                    nibbleGroupDot(w.quants, q + NibblePanels.groupOffset(g, 0, w.blocks), w.blocks, ds, g * L,
                            xs.quantized(r0), xs.quantized(row(r0 + 1, rows)), xs.quantized(row(r0 + 2, rows)),
                            xs.quantized(row(r0 + 3, rows)), -8, 0, scratch.panel, tile, g * VECTOR_BYTES);
                }
                store(w, tile, r0, CHUNK, rows, out, outStride, bias, panel);
            }
        }
    }

    /**
     * {@link NibblePanels#groupDot} for four rows of x: each pair step's quants are loaded and split into nibbles
     * once. Row {@code i}'s L results go to {@code tileAt + i * NR} floats of {@code tile}. Two passes, each its own
     * compiled method: the integer block sums of all four rows into {@code sums}, then their scaling; in one method
     * C2 ran out of its node budget before inlining the second part and boxed every vector.
     */
    private static void nibbleGroupDot(MemorySegment quants, long q, int blocks, float[] scales, int at,
            QuantizedInput x0, QuantizedInput x1, QuantizedInput x2, QuantizedInput x3, int lowFactor, int highFactor,
            MemorySegment sums, MemorySegment tile, long tileAt) {
        nibbleBlockSums(quants, q, blocks, x0.pairs, x1.pairs, x2.pairs, x3.pairs, sums);
        scaleBlockSums(sums, 0, blocks, scales, at, x0, x1, x2, x3, lowFactor, highFactor, tile, tileAt);
    }

    /** Per block, the four rows' 16-bit sums {@code Σ q_low v + Σ (q_high - 8) v}, stored block by block, row by row. */
    private static void nibbleBlockSums(MemorySegment quants, long q, int blocks, int[] p0, int[] p1, int[] p2, int[] p3,
            MemorySegment sums) {
        ShortVector zero = ShortVector.zero(PAIR_SHORTS);
        for (int b = 0; b < blocks; b++) {
            ShortVector s0 = zero;
            ShortVector s1 = zero;
            ShortVector s2 = zero;
            ShortVector s3 = zero;
            for (int j = 0; j < 8; j++) {
                ShortVector w = (ShortVector) ByteVector.fromMemorySegment(PAIR_BYTES, quants,
                        q + (8 * b + j) * NibblePanels.PAIR_STEP, NATIVE).convertShape(VectorOperators.B2S, PAIR_SHORTS, 0);
                ShortVector low = w.and((short) 0xF);
                ShortVector high = w.lanewise(VectorOperators.ASHR, 4);
                int xp = 16 * b + j;
                s0 = s0.add(low.mul(IntVector.broadcast(INTS, p0[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p0[xp + 8]).reinterpretAsShorts()));
                s1 = s1.add(low.mul(IntVector.broadcast(INTS, p1[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p1[xp + 8]).reinterpretAsShorts()));
                s2 = s2.add(low.mul(IntVector.broadcast(INTS, p2[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p2[xp + 8]).reinterpretAsShorts()));
                s3 = s3.add(low.mul(IntVector.broadcast(INTS, p3[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p3[xp + 8]).reinterpretAsShorts()));
            }
            long at = b * 4 * SUMS_BYTES;
            s0.intoMemorySegment(sums, at, NATIVE);
            s1.intoMemorySegment(sums, at + SUMS_BYTES, NATIVE);
            s2.intoMemorySegment(sums, at + 2 * SUMS_BYTES, NATIVE);
            s3.intoMemorySegment(sums, at + 3 * SUMS_BYTES, NATIVE);
        }
    }

    /**
     * {@link #nibbleBlockSums} for eight rows ({@code r0} on) where 32 vector registers hold their sums: each
     * quant vector is widened once for all eight. Rows {@code r0..r0+3} go to {@code sums} from 0, the others from
     * {@code half}, each in {@link #nibbleBlockSums}'s layout.
     */
    private static void nibbleBlockSums8(MemorySegment quants, long q, int blocks, SmallBatchInput xs, int r0,
            MemorySegment sums, long half) {
        int[] p0 = xs.quantized(r0).pairs;
        int[] p1 = xs.quantized(r0 + 1).pairs;
        int[] p2 = xs.quantized(r0 + 2).pairs;
        int[] p3 = xs.quantized(r0 + 3).pairs;
        int[] p4 = xs.quantized(r0 + 4).pairs;
        int[] p5 = xs.quantized(r0 + 5).pairs;
        int[] p6 = xs.quantized(r0 + 6).pairs;
        int[] p7 = xs.quantized(r0 + 7).pairs;
        ShortVector zero = ShortVector.zero(PAIR_SHORTS);
        for (int b = 0; b < blocks; b++) {
            ShortVector s0 = zero;
            ShortVector s1 = zero;
            ShortVector s2 = zero;
            ShortVector s3 = zero;
            ShortVector s4 = zero;
            ShortVector s5 = zero;
            ShortVector s6 = zero;
            ShortVector s7 = zero;
            for (int j = 0; j < 8; j++) {
                ShortVector w = (ShortVector) ByteVector.fromMemorySegment(PAIR_BYTES, quants,
                        q + (8 * b + j) * NibblePanels.PAIR_STEP, NATIVE).convertShape(VectorOperators.B2S, PAIR_SHORTS, 0);
                ShortVector low = w.and((short) 0xF);
                ShortVector high = w.lanewise(VectorOperators.ASHR, 4);
                int xp = 16 * b + j;
                s0 = s0.add(low.mul(IntVector.broadcast(INTS, p0[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p0[xp + 8]).reinterpretAsShorts()));
                s1 = s1.add(low.mul(IntVector.broadcast(INTS, p1[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p1[xp + 8]).reinterpretAsShorts()));
                s2 = s2.add(low.mul(IntVector.broadcast(INTS, p2[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p2[xp + 8]).reinterpretAsShorts()));
                s3 = s3.add(low.mul(IntVector.broadcast(INTS, p3[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p3[xp + 8]).reinterpretAsShorts()));
                s4 = s4.add(low.mul(IntVector.broadcast(INTS, p4[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p4[xp + 8]).reinterpretAsShorts()));
                s5 = s5.add(low.mul(IntVector.broadcast(INTS, p5[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p5[xp + 8]).reinterpretAsShorts()));
                s6 = s6.add(low.mul(IntVector.broadcast(INTS, p6[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p6[xp + 8]).reinterpretAsShorts()));
                s7 = s7.add(low.mul(IntVector.broadcast(INTS, p7[xp]).reinterpretAsShorts()))
                        .add(high.mul(IntVector.broadcast(INTS, p7[xp + 8]).reinterpretAsShorts()));
            }
            long at = b * 4 * SUMS_BYTES;
            s0.intoMemorySegment(sums, at, NATIVE);
            s1.intoMemorySegment(sums, at + SUMS_BYTES, NATIVE);
            s2.intoMemorySegment(sums, at + 2 * SUMS_BYTES, NATIVE);
            s3.intoMemorySegment(sums, at + 3 * SUMS_BYTES, NATIVE);
            s4.intoMemorySegment(sums, half + at, NATIVE);
            s5.intoMemorySegment(sums, half + at + SUMS_BYTES, NATIVE);
            s6.intoMemorySegment(sums, half + at + 2 * SUMS_BYTES, NATIVE);
            s7.intoMemorySegment(sums, half + at + 3 * SUMS_BYTES, NATIVE);
        }
    }

    /**
     * The second pass of {@link #nibbleGroupDot}: per block and row, the integer sum plus the correction for the
     * nibbles' offset (factors times x's half-block sums), times the weight's and x's block scales, summed in F32.
     */
    private static void scaleBlockSums(MemorySegment sums, long sumsAt, int blocks, float[] scales, int at, QuantizedInput x0,
            QuantizedInput x1, QuantizedInput x2, QuantizedInput x3, int lowFactor, int highFactor,
            MemorySegment tile, long tileAt) {
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int b = 0; b < blocks; b++) {
            FloatVector scale = FloatVector.fromArray(FLOATS, scales, at + b * NR);
            long s = sumsAt + b * 4 * SUMS_BYTES;
            int l0 = x0.lowSums[b];
            int l1 = x1.lowSums[b];
            int l2 = x2.lowSums[b];
            int l3 = x3.lowSums[b];
            a0 = NibblePanels.toFloats(ShortVector.fromMemorySegment(PAIR_SHORTS, sums, s, NATIVE),
                    lowFactor * l0 + highFactor * (x0.sums[b] - l0)).fma(scale.mul(x0.scales[b]), a0);
            a1 = NibblePanels.toFloats(ShortVector.fromMemorySegment(PAIR_SHORTS, sums, s + SUMS_BYTES, NATIVE),
                    lowFactor * l1 + highFactor * (x1.sums[b] - l1)).fma(scale.mul(x1.scales[b]), a1);
            a2 = NibblePanels.toFloats(ShortVector.fromMemorySegment(PAIR_SHORTS, sums, s + 2 * SUMS_BYTES, NATIVE),
                    lowFactor * l2 + highFactor * (x2.sums[b] - l2)).fma(scale.mul(x2.scales[b]), a2);
            a3 = NibblePanels.toFloats(ShortVector.fromMemorySegment(PAIR_SHORTS, sums, s + 3 * SUMS_BYTES, NATIVE),
                    lowFactor * l3 + highFactor * (x3.sums[b] - l3)).fma(scale.mul(x3.scales[b]), a3);
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
                            xs.quantized(row(r0 + 3, rows)), scratch.panel, tile, g * VECTOR_BYTES);
                }
                store(w, tile, r0, CHUNK, rows, out, outStride, bias, panel);
            }
        }
    }

    /**
     * {@link Q6_KPanels}'s group dot product for four rows: signed byte quants, summed exactly in 16 bits per
     * sub-block, in two passes as {@link #nibbleGroupDot}.
     */
    private static void q6_kGroupDot(MemorySegment quants, long q, int subBlocks, float[] scales, int at,
            QuantizedInput x0, QuantizedInput x1, QuantizedInput x2, QuantizedInput x3, MemorySegment sums,
            MemorySegment tile, long tileAt) {
        q6_kSubBlockSums(quants, q, subBlocks, x0.pairs, x1.pairs, x2.pairs, x3.pairs, sums);
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int s = 0; s < subBlocks; s++) {
            FloatVector scale = FloatVector.fromArray(FLOATS, scales, at + s * NR);
            long in = s * 4 * SUMS_BYTES;
            int b = s >> 1;
            a0 = NibblePanels.toFloats(ShortVector.fromMemorySegment(PAIR_SHORTS, sums, in, NATIVE), 0)
                    .fma(scale.mul(x0.scales[b]), a0);
            a1 = NibblePanels.toFloats(ShortVector.fromMemorySegment(PAIR_SHORTS, sums, in + SUMS_BYTES, NATIVE), 0)
                    .fma(scale.mul(x1.scales[b]), a1);
            a2 = NibblePanels.toFloats(ShortVector.fromMemorySegment(PAIR_SHORTS, sums, in + 2 * SUMS_BYTES, NATIVE), 0)
                    .fma(scale.mul(x2.scales[b]), a2);
            a3 = NibblePanels.toFloats(ShortVector.fromMemorySegment(PAIR_SHORTS, sums, in + 3 * SUMS_BYTES, NATIVE), 0)
                    .fma(scale.mul(x3.scales[b]), a3);
        }
        a0.intoMemorySegment(tile, tileAt, NATIVE);
        a1.intoMemorySegment(tile, tileAt + TILE_ROW, NATIVE);
        a2.intoMemorySegment(tile, tileAt + 2 * TILE_ROW, NATIVE);
        a3.intoMemorySegment(tile, tileAt + 3 * TILE_ROW, NATIVE);
    }

    /** Per sub-block of 16 inputs, the four rows' 16-bit sums {@code Σ (q - 32) v}, stored as in {@link #nibbleBlockSums}. */
    private static void q6_kSubBlockSums(MemorySegment quants, long q, int subBlocks, int[] p0, int[] p1, int[] p2,
            int[] p3, MemorySegment sums) {
        ShortVector zero = ShortVector.zero(PAIR_SHORTS);
        for (int s = 0; s < subBlocks; s++) {
            ShortVector s0 = zero;
            ShortVector s1 = zero;
            ShortVector s2 = zero;
            ShortVector s3 = zero;
            for (int j = 0; j < 8; j++) {
                int p = 8 * s + j;
                ShortVector w = (ShortVector) ByteVector.fromMemorySegment(PAIR_BYTES, quants,
                        q + p * NibblePanels.PAIR_STEP, NATIVE).convertShape(VectorOperators.B2S, PAIR_SHORTS, 0);
                s0 = s0.add(w.mul(IntVector.broadcast(INTS, p0[p]).reinterpretAsShorts()));
                s1 = s1.add(w.mul(IntVector.broadcast(INTS, p1[p]).reinterpretAsShorts()));
                s2 = s2.add(w.mul(IntVector.broadcast(INTS, p2[p]).reinterpretAsShorts()));
                s3 = s3.add(w.mul(IntVector.broadcast(INTS, p3[p]).reinterpretAsShorts()));
            }
            long at = s * 4 * SUMS_BYTES;
            s0.intoMemorySegment(sums, at, NATIVE);
            s1.intoMemorySegment(sums, at + SUMS_BYTES, NATIVE);
            s2.intoMemorySegment(sums, at + 2 * SUMS_BYTES, NATIVE);
            s3.intoMemorySegment(sums, at + 3 * SUMS_BYTES, NATIVE);
        }
    }

    /** Row {@code r} of the chunk, or the batch's last row where the chunk runs past it. */
    static int row(int r, int rows) {
        return Math.min(r, rows - 1);
    }

    /** Copies the chunk's rows from {@code tile} ({@code NR} floats each) to their features in {@code out}, adding the bias. */
    static void store(PackedWeight w, MemorySegment tile, int r0, int chunk, int rows, MemorySegment out,
            long outStride, MemorySegment bias, int panel) {
        int first = panel * NR;
        int cols = w.columnsOf(panel);
        for (int r = r0; r < Math.min(rows, r0 + chunk); r++) {
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
