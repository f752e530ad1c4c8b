package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.INTS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.PAIR_BYTES;
import static dev.infer4j.kernels.cpu.matmul.Lanes.PAIR_SHORTS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;

import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0 panels ({@link ScaledBlockPanels}). A GGUF block byte {@code t} holds the nibbles of inputs {@code t}
 * (low) and {@code t + 16} (high). A panel stores its bytes per group of L features, then per block, per pair of
 * bytes {@code (2p, 2p + 1)}, and per feature: {@code [group][block][p][feature][2]}, so one load of 2L bytes widens
 * to 2L 16-bit lanes holding inputs {@code 2p, 2p + 1} (low nibbles) and {@code 2p + 16, 2p + 17} (high) of L
 * features side by side. The high nibble is stored XOR 8, so that an arithmetic shift by 4 of the sign-extended
 * byte yields {@code q - 8} directly; the low nibble {@code q} is the byte masked to 4 bits and its offset of 8
 * is taken off with the block's sum of x.
 *
 * <p>GEMV ({@link QuantizedInput}): x is rounded to 8 bits per block and each block's dot products are
 * summed exactly in 16-bit lanes ({@code 8 (15·127 + 8·127) < 2^15}), then scaled by the weight's and x's
 * block scales in F32. The only error beyond float rounding is x's rounding, at most {@code d_x / 2} per input.
 * {@link #unpack} (GEMM) produces exactly the codec's values.
 */
final class Q4_0Panels extends ScaledBlockPanels {
    /** Bytes of a pair step (2 bytes of L features) and of a group (16 bytes of L features). */
    private static final long PAIR_STEP = 2L * L;
    private static final long GROUP_BYTES = 16L * L;

    Q4_0Panels(Tensor w) {
        super(w, 16);
    }

    @Override
    byte storedByte(byte fileByte) {
        return (byte) (fileByte ^ 0x80);
    }

    @Override
    int quantIndex(int c, int b, int i) {
        return (int) (groupOffset(c / L, b) + (i >> 1) * PAIR_STEP + (c % L) * 2 + (i & 1));
    }

    /** Byte offset, within its panel, of block {@code b} of group {@code g} (L features): groups follow each other. */
    private long groupOffset(int g, int b) {
        return ((long) g * blocks + b) * GROUP_BYTES;
    }

    @Override
    void gemv(MemorySegment x, long xOff, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        QuantizedInput xq = scratch.input;
        xq.quantize(x, xOff, inFeatures);
        MemorySegment tile = scratch.tile;
        for (int panel = from; panel < to; panel++) {
            float[] ds = decodePanelScales(panel, scratch);
            for (int g = 0; g < 3; g++) {
                groupDot(quantOffset(panel, 0) + groupOffset(g, 0), ds, g * L, xq, tile, g * VECTOR_BYTES);
            }
            storePanel(tile, out, outOff, bias, panel);
        }
    }

    /**
     * The dot products of x with L features, whose blocks start at {@code q}, their F32 scales in {@code ds} from
     * {@code scaleAt} with stride NR; writes them to {@code tile} at {@code tileAt}. One group per call keeps the
     * compiled method within C2's inlining budget.
     */
    private void groupDot(long q, float[] ds, int scaleAt, QuantizedInput xq, MemorySegment tile, long tileAt) {
        int[] pairs = xq.pairs;
        FloatVector acc = FloatVector.zero(FLOATS);
        ShortVector sum = ShortVector.zero(PAIR_SHORTS);
        // one flat loop over the pair steps of all blocks, two per iteration, closing a block every fourth
        // iteration: nested loops cost more in loop overhead than the block's arithmetic
        int steps = blocks * 8;
        for (int p = 0; p < steps; p += 2) {
            sum = step(q + p * PAIR_STEP, pairs, p + (p & ~7), sum);
            sum = step(q + (p + 1) * PAIR_STEP, pairs, p + 1 + (p & ~7), sum);
            if ((p & 7) == 6) {
                int b = p >> 3;
                FloatVector scale = FloatVector.fromArray(FLOATS, ds, scaleAt + b * NR).mul(xq.scales[b]);
                acc = toFloats(sum, -8 * xq.lowSums[b]).fma(scale, acc);
                sum = ShortVector.zero(PAIR_SHORTS);
            }
        }
        acc.intoMemorySegment(tile, tileAt, NATIVE);
    }

    /**
     * {@code sum} plus pair step {@code p} of a block: quants of inputs {@code (2p, 2p + 1)} (low nibbles) and
     * {@code (2p + 16, 2p + 17)} (high) at {@code at}, times x's pairs {@code pairs[xp]} and {@code pairs[xp + 8]}
     * broadcast to every pair of 16-bit lanes.
     */
    private ShortVector step(long at, int[] pairs, int xp, ShortVector sum) {
        ShortVector xl = IntVector.broadcast(INTS, pairs[xp]).reinterpretAsShorts();
        ShortVector xh = IntVector.broadcast(INTS, pairs[xp + 8]).reinterpretAsShorts();
        ShortVector w = (ShortVector) ByteVector.fromMemorySegment(PAIR_BYTES, quants, at, NATIVE)
                .convertShape(VectorOperators.B2S, PAIR_SHORTS, 0);
        return sum.add(w.and((short) 0xF).mul(xl)).add(w.lanewise(VectorOperators.ASHR, 4).mul(xh));
    }

    /** Adds the two 16-bit sums of each feature (even and odd inputs) and {@code offset}, as floats. */
    private static FloatVector toFloats(ShortVector sums, int offset) {
        IntVector v = sums.reinterpretAsInts();
        IntVector even = v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16);
        return (FloatVector) even.add(v.lanewise(VectorOperators.ASHR, 16)).add(offset).convert(VectorOperators.I2F, 0);
    }

    @Override
    void unpack(int panel, int k0, int kc, MemorySegment dst, MatmulScratch scratch) {
        for (int b = k0 / BLOCK; b < (k0 + kc) / BLOCK; b++) {
            decodeScales(panel, b, scratch.blockScales);
            long to = (long) (b * BLOCK - k0) * NR * Float.BYTES;
            for (int g = 0; g < 3; g++) {
                FloatVector d = FloatVector.fromMemorySegment(FLOATS, scratch.blockScales, g * VECTOR_BYTES, NATIVE);
                unpackGroup(quantOffset(panel, 0) + groupOffset(g, b), d, dst, to + g * VECTOR_BYTES);
            }
        }
    }

    /**
     * One group of L features of a block, exactly: input {@code t < 16} is {@code (q - 8) d = q d - 8 d}, input
     * {@code t + 16} is {@code (q - 8) d} (few significant bits, so both are exact).
     */
    private void unpackGroup(long q, FloatVector d, MemorySegment dst, long to) {
        FloatVector minus8d = d.mul(-8f);
        long row = (long) NR * Float.BYTES;
        for (int p = 0; p < 8; p++) {
            IntVector v = ((ShortVector) ByteVector.fromMemorySegment(PAIR_BYTES, quants, q + p * PAIR_STEP, NATIVE)
                    .convertShape(VectorOperators.B2S, PAIR_SHORTS, 0)).reinterpretAsInts();
            IntVector even = v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16);
            IntVector odd = v.lanewise(VectorOperators.ASHR, 16);
            long t = to + 2 * p * row;
            low(even).fma(d, minus8d).intoMemorySegment(dst, t, NATIVE);
            low(odd).fma(d, minus8d).intoMemorySegment(dst, t + row, NATIVE);
            high(even).mul(d).intoMemorySegment(dst, t + 16 * row, NATIVE);
            high(odd).mul(d).intoMemorySegment(dst, t + 17 * row, NATIVE);
        }
    }

    private static FloatVector low(IntVector bytes) {
        return (FloatVector) bytes.and(0xF).convert(VectorOperators.I2F, 0);
    }

    private static FloatVector high(IntVector bytes) {
        return (FloatVector) bytes.lanewise(VectorOperators.ASHR, 4).convert(VectorOperators.I2F, 0);
    }
}
