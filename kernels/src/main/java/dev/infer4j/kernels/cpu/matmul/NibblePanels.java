package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.INTS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.PAIR_BYTES;
import static dev.infer4j.kernels.cpu.matmul.Lanes.PAIR_SHORTS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.PANEL_VECTORS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Layout and kernels of 4-bit quants repacked into panels (Q4_0, Q4_K), in blocks of 32 inputs with a scale
 * (and for Q4_K a min) per block and feature.
 *
 * <p>Layout: a block's 32 nibbles of a feature are 16 bytes, byte {@code t} holding inputs {@code t} (low nibble)
 * and {@code t + 16} (high), as in GGUF's Q4_0. A panel stores them per group of L features, then per block, per
 * pair of bytes {@code (2p, 2p + 1)} and per feature: {@code [group][block][p][feature][2]}. One load of 2L bytes
 * thus widens to 2L 16-bit lanes holding inputs {@code (2p, 2p + 1)} (low nibbles) and {@code (2p + 16, 2p + 17)}
 * (high) of L features side by side. Bytes are stored XOR 0x80, so that an arithmetic shift by 4 of the
 * sign-extended byte yields {@code q_high - 8} directly, while the low nibble {@code q_low} is the byte masked to 4
 * bits.
 *
 * <p>GEMV ({@link QuantizedInput}): with x rounded to 8 bits per block, a block's dot product
 * {@code S = Σ q_low v + Σ (q_high - 8) v} is summed exactly in 16-bit lanes
 * ({@code 8 (15·127 + 8·127) < 2^15}; intermediate terms may wrap, see {@link #step}), the 8 taken off the high nibbles is restored from x's block sums, and the
 * result is scaled by the weight's and x's block scales in F32 (minus the block's min times x's block sum).
 */
final class NibblePanels {
    /** Bytes of a pair step (2 bytes of L features) and of a block of a group (16 bytes of L features). */
    static final long PAIR_STEP = 2L * L;
    static final long BLOCK_BYTES = 16L * L;

    private NibblePanels() {
    }

    /** Index, within a panel of {@code blocks} blocks, of byte {@code t} of block {@code b} of the panel's feature {@code c}. */
    static int index(int c, int b, int t, int blocks) {
        return Math.toIntExact(groupOffset(c / L, b, blocks) + (t >> 1) * PAIR_STEP + (c % L) * 2 + (t & 1));
    }

    /** Byte offset, within its panel, of block {@code b} of group {@code g} (L features): groups follow each other. */
    static long groupOffset(int g, int b, int blocks) {
        return ((long) g * blocks + b) * BLOCK_BYTES;
    }

    /** The stored byte of nibbles {@code low} and {@code high} (0..15 each). */
    static byte pack(int low, int high) {
        return (byte) ((low | high << 4) ^ 0x80);
    }

    /**
     * The dot products of x with the {@code NR} features of one panel (its quants from byte {@code q} of
     * {@code quants}, block {@code b}'s scales of group {@code g} at {@code g * L + b * NR} of {@code scales}),
     * written to the first {@code NR} floats of {@code tile}: {@link #groupDot} per group of L features, after
     * {@link CacheWarmer} has pulled the panel into the cache (TinyLlama Q4_0 decode: 38-41 tokens/s in every JVM,
     * against 29-40 without; copying the panel to scratch memory instead gave 36-38.5).
     */
    static void panelDot(MemorySegment quants, long q, int blocks, float[] scales, QuantizedInput xq,
            int lowFactor, int highFactor, MemorySegment tile) {
        CacheWarmer.warm(quants, q, groupOffset(PANEL_VECTORS, 0, blocks), tile);
        for (int g = 0; g < PANEL_VECTORS; g++) {
            groupDot(quants, q + groupOffset(g, 0, blocks), blocks, scales, g * L, xq, lowFactor, highFactor,
                    tile, g * VECTOR_BYTES);
        }
    }

    /**
     * The dot products of x with the L features of one group, writing them to {@code tile} at {@code tileAt}. The
     * group's blocks start at byte {@code q} of {@code quants}; block {@code b}'s F32 scales are at
     * {@code at + b * NR} of {@code scales}. Per block, the integer sum is corrected by
     * {@code lowFactor · Σ v_low + highFactor · Σ v_high} before scaling. One group per call keeps the compiled
     * method within C2's inlining budget.
     */
    static void groupDot(MemorySegment quants, long q, int blocks, float[] scales, int at,
            QuantizedInput xq, int lowFactor, int highFactor, MemorySegment tile, long tileAt) {
        int[] pairs = xq.mixedPairs;
        int[] lowSums = xq.lowSums;
        int[] sums = xq.sums;
        float[] dx = xq.scales;
        FloatVector acc = FloatVector.zero(FLOATS);
        ShortVector sum = ShortVector.zero(PAIR_SHORTS);
        // one flat loop over the pair steps of all blocks, two per iteration, closing a block every fourth
        // iteration: nested loops cost more in loop overhead than the block's arithmetic
        int steps = blocks * 8;
        for (int p = 0; p < steps; p += 2) {
            sum = step(quants, q + p * PAIR_STEP, pairs, p + (p & ~7), sum);
            sum = step(quants, q + (p + 1) * PAIR_STEP, pairs, p + 1 + (p & ~7), sum);
            if ((p & 7) == 6) {
                int b = p >> 3;
                int low = lowSums[b];
                int correction = lowFactor * low + highFactor * (sums[b] - low);
                FloatVector scale = FloatVector.fromArray(FLOATS, scales, at + b * NR).mul(dx[b]);
                acc = toFloats(sum, correction).fma(scale, acc);
                sum = ShortVector.zero(PAIR_SHORTS);
            }
        }
        acc.intoMemorySegment(tile, tileAt, NATIVE);
    }

    /**
     * Subtracts from the L floats at {@code tileAt} of {@code tile} the blocks' mins times x's block sums:
     * {@code Σ_b min_b · d_x · Σ v}, block {@code b}'s mins at {@code at + b * NR} of {@code mins}. Apart from
     * {@link #groupDot}, whose loop ran 15 % slower with this in it.
     */
    static void subtractMins(float[] mins, int at, int blocks, QuantizedInput xq, MemorySegment tile, long tileAt) {
        int[] sums = xq.sums;
        float[] dx = xq.scales;
        FloatVector acc = FloatVector.fromMemorySegment(FLOATS, tile, tileAt, NATIVE);
        for (int b = 0; b < blocks; b++) {
            acc = FloatVector.fromArray(FLOATS, mins, at + b * NR).fma(FloatVector.broadcast(FLOATS, -dx[b] * sums[b]), acc);
        }
        acc.intoMemorySegment(tile, tileAt, NATIVE);
    }

    /**
     * {@code sum} plus one pair step: quants of inputs {@code (2p, 2p + 1)} (low nibbles) and {@code (2p + 16, 2p + 17)}
     * (high) at {@code at}, times x's pairs {@code pairs[xp]} and {@code pairs[xp + 8]} broadcast to every pair of
     * 16-bit lanes, from {@link QuantizedInput#mixedPairs}, whose high pair holds {@code v_high - 16 v_low}. With the
     * sign-extended stored byte {@code s = 16 (q_high - 8) + q_low},
     * {@code s v_low + (s >> 4) (v_high - 16 v_low) = q_low v_low + (q_high - 8) v_high}, so the low nibble needs no
     * mask. The two products can overflow 16 bits, but the lanes wrap modulo 2^16 and the block's true sum fits, so
     * the sum is exact.
     */
    private static ShortVector step(MemorySegment quants, long at, int[] pairs, int xp, ShortVector sum) {
        ShortVector xl = IntVector.broadcast(INTS, pairs[xp]).reinterpretAsShorts();
        ShortVector xh = IntVector.broadcast(INTS, pairs[xp + 8]).reinterpretAsShorts();
        ShortVector w = (ShortVector) ByteVector.fromMemorySegment(PAIR_BYTES, quants, at, NATIVE)
                .convertShape(VectorOperators.B2S, PAIR_SHORTS, 0);
        return sum.add(w.mul(xl)).add(w.lanewise(VectorOperators.ASHR, 4).mul(xh));
    }

    /** Adds the two 16-bit sums of each feature (even and odd inputs) and {@code correction}, as floats. */
    static FloatVector toFloats(ShortVector sums, int correction) {
        IntVector v = sums.reinterpretAsInts();
        IntVector even = v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16);
        return (FloatVector) even.add(v.lanewise(VectorOperators.ASHR, 16)).add(correction).convert(VectorOperators.I2F, 0);
    }

    /**
     * Writes one block of one group (L features, quants at byte {@code q}) as F32, k-major with NR floats per input
     * from byte {@code to} of {@code dst}: value {@code q · scale + bias} with one rounding (exact for Q4_0).
     */
    static void unpackGroup(MemorySegment quants, long q, FloatVector scale, FloatVector bias, MemorySegment dst, long to) {
        long row = (long) NR * Float.BYTES;
        for (int p = 0; p < 8; p++) {
            IntVector v = ((ShortVector) ByteVector.fromMemorySegment(PAIR_BYTES, quants, q + p * PAIR_STEP, NATIVE)
                    .convertShape(VectorOperators.B2S, PAIR_SHORTS, 0)).reinterpretAsInts();
            IntVector even = v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16);
            IntVector odd = v.lanewise(VectorOperators.ASHR, 16);
            long t = to + 2 * p * row;
            low(even).fma(scale, bias).intoMemorySegment(dst, t, NATIVE);
            low(odd).fma(scale, bias).intoMemorySegment(dst, t + row, NATIVE);
            high(even).fma(scale, bias).intoMemorySegment(dst, t + 16 * row, NATIVE);
            high(odd).fma(scale, bias).intoMemorySegment(dst, t + 17 * row, NATIVE);
        }
    }

    private static FloatVector low(IntVector bytes) {
        return (FloatVector) bytes.and(0xF).convert(VectorOperators.I2F, 0);
    }

    /** The high nibble {@code q}: the sign-extended stored byte shifted by 4 is {@code q - 8}. */
    private static FloatVector high(IntVector bytes) {
        return (FloatVector) bytes.lanewise(VectorOperators.ASHR, 4).add(8).convert(VectorOperators.I2F, 0);
    }
}
