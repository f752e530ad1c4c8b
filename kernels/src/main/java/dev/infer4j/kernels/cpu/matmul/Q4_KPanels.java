package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.I16;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;

import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.dtype.Q4_KCodec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/**
 * Q4_K weights repacked into panels: the quants of each sub-block of 32 in the {@link NibblePanels} layout, the
 * 6-bit sub-block scales {@code sc} and mins {@code m} one byte each ({@code [panel][block][NR]}), and the
 * super-block factors {@code d}, {@code dmin} as f16 ({@code [panel][super-block][NR]}): 0.5 % more bytes than the
 * file. The weight is {@code d sc q - dmin m}; {@code d sc} and {@code dmin m} are exact in F32.
 *
 * <p>GEMV rounds x to 8 bits per block ({@link QuantizedInput}) and computes per block
 * {@code d sc d_x Σ q v - dmin m d_x Σ v}. {@link #unpack} (GEMM) produces exactly the codec's values.
 */
final class Q4_KPanels extends PackedWeight {
    private static final int BLOCK = 32;
    private static final int SUPER_BLOCK = Q4_KCodec.BLOCK;
    private static final int SUBS = SUPER_BLOCK / BLOCK;

    /** Blocks of 32 and super-blocks of 256 per feature. */
    private final int blocks;
    private final int superBlocks;
    private final MemorySegment quants;
    private final MemorySegment subScales;
    private final MemorySegment subMins;
    private final MemorySegment superScales;
    private final MemorySegment superMins;

    Q4_KPanels(Tensor w) {
        super(w.dtype(), Math.toIntExact(w.dim(0)), Math.toIntExact(w.dim(1)));
        blocks = inFeatures / BLOCK;
        superBlocks = inFeatures / SUPER_BLOCK;
        quants = PanelMemory.allocate((long) panels * blocks * NR * 16);
        subScales = PanelMemory.allocate((long) panels * blocks * NR);
        subMins = PanelMemory.allocate((long) panels * blocks * NR);
        superScales = PanelMemory.allocate((long) panels * superBlocks * NR * Short.BYTES);
        superMins = PanelMemory.allocate((long) panels * superBlocks * NR * Short.BYTES);
        repack(w);
    }

    private void repack(Tensor w) {
        int rowBytes = Math.toIntExact(w.rowBytes());
        MemorySegment src = w.segment();
        byte[] panelQuants = new byte[blocks * NR * 16];
        byte[] panelScales = new byte[blocks * NR];
        byte[] panelMins = new byte[blocks * NR];
        short[] panelD = new short[superBlocks * NR];
        short[] panelDmin = new short[superBlocks * NR];
        byte[] qs = new byte[SUPER_BLOCK];
        for (int panel = 0; panel < panels; panel++) {
            // padding features: nibbles 0, scales and mins 0
            java.util.Arrays.fill(panelQuants, NibblePanels.pack(0, 0));
            java.util.Arrays.fill(panelScales, (byte) 0);
            java.util.Arrays.fill(panelMins, (byte) 0);
            java.util.Arrays.fill(panelD, (short) 0);
            java.util.Arrays.fill(panelDmin, (short) 0);
            for (int c = 0; c < columnsOf(panel); c++) {
                long row = (long) (panel * NR + c) * rowBytes;
                for (int sb = 0; sb < superBlocks; sb++) {
                    long block = row + (long) sb * Q4_KCodec.BLOCK_BYTES;
                    panelD[sb * NR + c] = src.get(I16, block + Q4_KCodec.D);
                    panelDmin[sb * NR + c] = src.get(I16, block + Q4_KCodec.DMIN);
                    MemorySegment.copy(src, ValueLayout.JAVA_BYTE, block + Q4_KCodec.QS, qs, 0, 128);
                    for (int s = 0; s < SUBS; s++) {
                        int b = sb * SUBS + s;
                        panelScales[b * NR + c] = (byte) Q4_KCodec.scale(src, block, s);
                        panelMins[b * NR + c] = (byte) Q4_KCodec.min(src, block, s);
                        // sub-block s: nibbles of qs[32 (s / 2) + l], low for even s, high for odd
                        int base = 32 * (s / 2);
                        int shift = 4 * (s & 1);
                        for (int t = 0; t < 16; t++) {
                            int low = (qs[base + t] >> shift) & 0xF;
                            int high = (qs[base + t + 16] >> shift) & 0xF;
                            panelQuants[NibblePanels.index(c, b, t, blocks)] = NibblePanels.pack(low, high);
                        }
                    }
                }
            }
            long p = panel;
            MemorySegment.copy(panelQuants, 0, quants, ValueLayout.JAVA_BYTE, p * panelQuants.length, panelQuants.length);
            MemorySegment.copy(panelScales, 0, subScales, ValueLayout.JAVA_BYTE, p * panelScales.length, panelScales.length);
            MemorySegment.copy(panelMins, 0, subMins, ValueLayout.JAVA_BYTE, p * panelMins.length, panelMins.length);
            MemorySegment.copy(panelD, 0, superScales, I16, p * panelD.length * Short.BYTES, panelD.length);
            MemorySegment.copy(panelDmin, 0, superMins, I16, p * panelDmin.length * Short.BYTES, panelDmin.length);
        }
    }

    @Override
    int kGranule() {
        return SUPER_BLOCK;
    }

    /** Decodes panel {@code panel}'s block factors {@code d sc} into {@code scales} and {@code dmin m} into {@code mins}. */
    private void decode(int panel, float[] scales, float[] mins) {
        for (int sb = 0; sb < superBlocks; sb++) {
            long at = ((long) panel * superBlocks + sb) * NR * Short.BYTES;
            for (int g = 0; g < 3; g++) {
                FloatVector d = VectorLoads.f16(superScales, at + g * L * Short.BYTES);
                FloatVector dmin = VectorLoads.f16(superMins, at + g * L * Short.BYTES);
                for (int s = 0; s < SUBS; s++) {
                    int b = sb * SUBS + s;
                    long sub = ((long) panel * blocks + b) * NR + g * L;
                    VectorLoads.int8(subScales, sub).mul(d).intoArray(scales, b * NR + g * L);
                    VectorLoads.int8(subMins, sub).mul(dmin).intoArray(mins, b * NR + g * L);
                }
            }
        }
    }

    private long panelQuants(int panel) {
        return (long) panel * blocks * NR * 16;
    }

    @Override
    boolean gemvRoundsInput() {
        return true;
    }

    @Override
    void gemv(float[] x, QuantizedInput xq, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        MemorySegment tile = scratch.tile;
        float[] scales = scratch.row(blocks * NR);
        float[] mins = scratch.mins(blocks * NR);
        for (int panel = from; panel < to; panel++) {
            decode(panel, scales, mins);
            // Σ q v = S + 8 Σ v_high: the high nibbles are read as q - 8
            NibblePanels.panelDot(quants, panelQuants(panel), blocks, scales, xq, 0, 8, tile);
            for (int g = 0; g < 3; g++) {
                NibblePanels.subtractMins(mins, g * L, blocks, xq, tile, g * VECTOR_BYTES);
            }
            storePanel(tile, out, outOff, bias, panel);
        }
    }

    @Override
    void unpack(int panel, int k0, int kc, MemorySegment dst, MatmulScratch scratch) {
        for (int sb = k0 / SUPER_BLOCK; sb < (k0 + kc) / SUPER_BLOCK; sb++) {
            long at = ((long) panel * superBlocks + sb) * NR * Short.BYTES;
            for (int g = 0; g < 3; g++) {
                FloatVector d = VectorLoads.f16(superScales, at + g * L * Short.BYTES);
                FloatVector dmin = VectorLoads.f16(superMins, at + g * L * Short.BYTES);
                for (int s = 0; s < SUBS; s++) {
                    int b = sb * SUBS + s;
                    long sub = ((long) panel * blocks + b) * NR + g * L;
                    FloatVector scale = VectorLoads.int8(subScales, sub).mul(d);
                    FloatVector min = VectorLoads.int8(subMins, sub).mul(dmin);
                    long to = (long) (b * BLOCK - k0) * NR * Float.BYTES + g * VECTOR_BYTES;
                    NibblePanels.unpackGroup(quants, panelQuants(panel) + NibblePanels.groupOffset(g, b, blocks), scale,
                            min.neg(), dst, to);
                }
            }
        }
    }
}
