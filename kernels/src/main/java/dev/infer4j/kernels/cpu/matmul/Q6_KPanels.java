package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.I16;
import static dev.infer4j.kernels.cpu.matmul.Lanes.INTS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.PAIR_BYTES;
import static dev.infer4j.kernels.cpu.matmul.Lanes.PAIR_SHORTS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;

import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.dtype.Q6_KCodec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q6_K weights repacked into panels: each quant as a signed byte {@code q - 32}, per sub-block of 16 inputs and
 * group of L features in pairs of inputs ({@code [group][sub-block][p][feature][2]}, as in {@link NibblePanels}),
 * the int8 sub-block scales {@code sc} ({@code [panel][sub-block][NR]}) and the super-block factor {@code d} as
 * f16 ({@code [panel][super-block][NR]}). That is 30 % more bytes than the file's 6.56 bits per weight, traded for a
 * kernel with no bit unpacking. The weight is {@code d sc (q - 32)}, {@code d sc} exact in F32.
 *
 * <p>GEMV rounds x to 8 bits per block of 32 ({@link QuantizedInput}) and sums each sub-block's products exactly
 * in 16-bit lanes ({@code 8 · 32 · 127 < 2^15}), then scales by {@code d sc d_x} in F32. {@link #unpack} (GEMM)
 * produces exactly the codec's values.
 */
final class Q6_KPanels extends PackedWeight {
    private static final int SUB_BLOCK = 16;
    private static final int SUPER_BLOCK = Q6_KCodec.BLOCK;
    private static final int SUBS = SUPER_BLOCK / SUB_BLOCK;
    /** Bytes of a pair step (2 inputs of L features) and of a sub-block of a group. */
    private static final long PAIR_STEP = 2L * L;
    private static final long SUB_BYTES = 16L * L;

    final int subBlocks;
    private final int superBlocks;
    final MemorySegment quants;
    private final MemorySegment subScales;
    private final MemorySegment superScales;

    Q6_KPanels(Tensor w) {
        super(w.dtype(), Math.toIntExact(w.dim(0)), Math.toIntExact(w.dim(1)));
        subBlocks = inFeatures / SUB_BLOCK;
        superBlocks = inFeatures / SUPER_BLOCK;
        quants = PanelMemory.allocate((long) panels * subBlocks * SUB_BYTES * 3);
        subScales = PanelMemory.allocate((long) panels * subBlocks * NR);
        superScales = PanelMemory.allocate((long) panels * superBlocks * NR * Short.BYTES);
        repack(w);
    }

    /** Byte offset, within its panel, of sub-block {@code s} of group {@code g}. */
    long groupOffset(int g, int s) {
        return ((long) g * subBlocks + s) * SUB_BYTES;
    }

    long panelQuants(int panel) {
        return (long) panel * subBlocks * SUB_BYTES * 3;
    }

    private void repack(Tensor w) {
        int rowBytes = Math.toIntExact(w.rowBytes());
        MemorySegment src = w.segment();
        byte[] panelQuants = new byte[Math.toIntExact(subBlocks * SUB_BYTES * 3)];
        byte[] panelScales = new byte[subBlocks * NR];
        short[] panelD = new short[superBlocks * NR];
        byte[] blockBytes = new byte[Q6_KCodec.BLOCK_BYTES];
        MemorySegment block = MemorySegment.ofArray(blockBytes);
        for (int panel = 0; panel < panels; panel++) {
            // padding features: quants 0 and scale 0
            java.util.Arrays.fill(panelQuants, (byte) 0);
            java.util.Arrays.fill(panelScales, (byte) 0);
            java.util.Arrays.fill(panelD, (short) 0);
            for (int c = 0; c < columnsOf(panel); c++) {
                long row = (long) (panel * NR + c) * rowBytes;
                for (int sb = 0; sb < superBlocks; sb++) {
                    MemorySegment.copy(src, ValueLayout.JAVA_BYTE, row + (long) sb * Q6_KCodec.BLOCK_BYTES, blockBytes, 0,
                            Q6_KCodec.BLOCK_BYTES);
                    panelD[sb * NR + c] = block.get(I16, Q6_KCodec.D);
                    for (int s = 0; s < SUBS; s++) {
                        int sub = sb * SUBS + s;
                        panelScales[sub * NR + c] = blockBytes[Q6_KCodec.SCALES + s];
                        for (int i = 0; i < SUB_BLOCK; i++) {
                            int at = Math.toIntExact(groupOffset(c / L, sub) + (i >> 1) * PAIR_STEP + (c % L) * 2 + (i & 1));
                            panelQuants[at] = (byte) (Q6_KCodec.quant(block, 0, s * SUB_BLOCK + i) - 32);
                        }
                    }
                }
            }
            long p = panel;
            MemorySegment.copy(panelQuants, 0, quants, ValueLayout.JAVA_BYTE, p * panelQuants.length, panelQuants.length);
            MemorySegment.copy(panelScales, 0, subScales, ValueLayout.JAVA_BYTE, p * panelScales.length, panelScales.length);
            MemorySegment.copy(panelD, 0, superScales, I16, p * panelD.length * Short.BYTES, panelD.length);
        }
    }

    @Override
    int kGranule() {
        return SUPER_BLOCK;
    }

    /** Decodes the scales {@code d sc} of panel {@code panel}'s sub-blocks {@code [from, to)} into {@code scales}. */
    void decode(int panel, int from, int to, float[] scales) {
        for (int sb = from / SUBS; sb < to / SUBS; sb++) {
            long at = ((long) panel * superBlocks + sb) * NR * Short.BYTES;
            for (int g = 0; g < 3; g++) {
                FloatVector d = VectorLoads.f16(superScales, at + g * L * Short.BYTES);
                for (int s = sb * SUBS; s < sb * SUBS + SUBS; s++) {
                    long sub = ((long) panel * subBlocks + s) * NR + g * L;
                    VectorLoads.int8(subScales, sub).mul(d).intoArray(scales, s * NR + g * L);
                }
            }
        }
    }

    @Override
    boolean gemvRoundsInput() {
        return true;
    }

    @Override
    void gemv(float[] x, QuantizedInput xq, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        MemorySegment tile = scratch.tile;
        float[] scales = scratch.row(subBlocks * NR);
        for (int panel = from; panel < to; panel++) {
            decode(panel, 0, subBlocks, scales);
            long q = panelQuants(panel);
            CacheWarmer.warm(quants, q, groupOffset(3, 0), tile);
            for (int g = 0; g < 3; g++) {
                groupDot(q + groupOffset(g, 0), scales, g * L, xq, tile, g * VECTOR_BYTES);
            }
            storePanel(tile, out, outOff, bias, panel);
        }
    }

    /** As {@link NibblePanels#groupDot}, for signed byte quants: one flat loop, a sub-block closed every 8 steps. */
    private void groupDot(long q, float[] scales, int at, QuantizedInput xq, MemorySegment tile, long tileAt) {
        int[] pairs = xq.pairs;
        float[] dx = xq.scales;
        FloatVector acc = FloatVector.zero(FLOATS);
        ShortVector sum = ShortVector.zero(PAIR_SHORTS);
        int steps = subBlocks * 8;
        for (int p = 0; p < steps; p += 2) {
            sum = step(q + p * PAIR_STEP, pairs[p], sum);
            sum = step(q + (p + 1) * PAIR_STEP, pairs[p + 1], sum);
            if ((p & 7) == 6) {
                int s = p >> 3;
                FloatVector scale = FloatVector.fromArray(FLOATS, scales, at + s * NR).mul(dx[s >> 1]);
                acc = NibblePanels.toFloats(sum, 0).fma(scale, acc);
                sum = ShortVector.zero(PAIR_SHORTS);
            }
        }
        acc.intoMemorySegment(tile, tileAt, NATIVE);
    }

    /** {@code sum} plus the quants of one pair of inputs at {@code at} times x's {@code pair} in every pair of lanes. */
    private ShortVector step(long at, int pair, ShortVector sum) {
        ShortVector w = (ShortVector) ByteVector.fromMemorySegment(PAIR_BYTES, quants, at, NATIVE)
                .convertShape(VectorOperators.B2S, PAIR_SHORTS, 0);
        return sum.add(w.mul(IntVector.broadcast(INTS, pair).reinterpretAsShorts()));
    }

    @Override
    void unpack(int panel, int k0, int kc, MemorySegment dst, MatmulScratch scratch) {
        int from = k0 / SUB_BLOCK;
        int to = (k0 + kc) / SUB_BLOCK;
        float[] scales = scratch.mins(subBlocks * NR);
        decode(panel, from, to, scales);
        long row = (long) NR * Float.BYTES;
        for (int s = from; s < to; s++) {
            for (int g = 0; g < 3; g++) {
                FloatVector scale = FloatVector.fromArray(FLOATS, scales, s * NR + g * L);
                long q = panelQuants(panel) + groupOffset(g, s);
                long t = (long) (s * SUB_BLOCK - k0) * row + g * VECTOR_BYTES;
                for (int p = 0; p < 8; p++) {
                    IntVector v = ((ShortVector) ByteVector.fromMemorySegment(PAIR_BYTES, quants, q + p * PAIR_STEP, NATIVE)
                            .convertShape(VectorOperators.B2S, PAIR_SHORTS, 0)).reinterpretAsInts();
                    IntVector even = v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16);
                    IntVector odd = v.lanewise(VectorOperators.ASHR, 16);
                    ((FloatVector) even.convert(VectorOperators.I2F, 0)).mul(scale).intoMemorySegment(dst, t + 2 * p * row, NATIVE);
                    ((FloatVector) odd.convert(VectorOperators.I2F, 0)).mul(scale)
                            .intoMemorySegment(dst, t + (2 * p + 1) * row, NATIVE);
                }
            }
        }
    }
}
