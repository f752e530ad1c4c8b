package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.I16;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Q8_0 and Q4_0 weights split into two aligned arrays, panel by panel: the f16 block scales
 * ({@code [panel][block][NR]}) and the quant bytes ({@code [panel][block][byte][NR]}). Byte {@code i} of a
 * panel's block holds byte {@code i} of each of its NR features' GGUF blocks ({@link #storedByte} may
 * recode it): for Q8_0 one int8 quant, for Q4_0 two nibbles (inputs {@code i} and {@code i + 16} of the
 * block). A GEMV step then loads NR quants of one input index as whole vectors, and as many bytes are
 * read as the file holds.
 */
abstract sealed class ScaledBlockPanels extends PackedWeight permits Q8_0Panels, Q4_0Panels {
    static final int BLOCK = 32;

    /** Inputs per block: 32. */
    final int blocks;
    /** Quant bytes per block and feature: 32 (Q8_0) or 16 (Q4_0). */
    final int quantBytes;
    /**
     * The scales and the quants: two segments, or one holding each panel's scales then its quants. Which streams
     * faster from DRAM depends on the kernel's read order: Q8_0 reads a block's scales with its quants and runs
     * fastest from two long streams; Q4_0 decodes a whole panel's scales first, and that burst stalled on DRAM
     * latency unless it continued the stream of the previous panel's quants.
     */
    final MemorySegment scales;
    final MemorySegment quants;
    private final long scaleStride;
    private final long quantStride;
    private final long quantBase;

    ScaledBlockPanels(Tensor w, int quantBytes, boolean oneStream) {
        super(w.dtype(), Math.toIntExact(w.dim(0)), Math.toIntExact(w.dim(1)));
        this.blocks = inFeatures / BLOCK;
        this.quantBytes = quantBytes;
        long scaleBytes = (long) blocks * NR * Short.BYTES;
        long quantBytesPerPanel = (long) blocks * quantBytes * NR;
        if (oneStream) {
            scaleStride = quantStride = scaleBytes + quantBytesPerPanel;
            quantBase = scaleBytes;
            scales = quants = PanelMemory.allocate(panels * scaleStride);
        } else {
            scaleStride = scaleBytes;
            quantStride = quantBytesPerPanel;
            quantBase = 0;
            scales = PanelMemory.allocate(panels * scaleStride);
            quants = PanelMemory.allocate(panels * quantStride);
        }
        repack(w);
    }

    /** Byte offset of block {@code block}'s scales in panel {@code panel}. */
    final long scaleOffset(int panel, int block) {
        return panel * scaleStride + (long) block * NR * Short.BYTES;
    }

    /** Byte offset of block {@code block}'s quants in panel {@code panel}. */
    final long quantOffset(int panel, int block) {
        return panel * quantStride + quantBase + (long) block * quantBytes * NR;
    }

    /** Transposes each panel's rows in heap arrays, then copies whole panels out: bulk copies only. */
    private void repack(Tensor w) {
        DType type = w.dtype();
        int rowBytes = Math.toIntExact(w.rowBytes());
        byte[] rows = new byte[NR * rowBytes];
        short[] panelScales = new short[blocks * NR];
        byte[] panelQuants = new byte[blocks * quantBytes * NR];
        for (int panel = 0; panel < panels; panel++) {
            int cols = columnsOf(panel);
            java.util.Arrays.fill(rows, (byte) 0);
            MemorySegment.copy(w.segment(), ValueLayout.JAVA_BYTE, (long) panel * NR * rowBytes, rows, 0, cols * rowBytes);
            for (int c = 0; c < NR; c++) {
                for (int b = 0; b < blocks; b++) {
                    int block = c * rowBytes + b * type.blockBytes();
                    panelScales[b * NR + c] = (short) ((rows[block] & 0xFF) | rows[block + 1] << 8);
                    for (int i = 0; i < quantBytes; i++) {
                        panelQuants[quantIndex(c, b, i)] = storedByte(rows[block + 2 + i]);
                    }
                }
            }
            MemorySegment.copy(panelScales, 0, scales, I16, scaleOffset(panel, 0), panelScales.length);
            MemorySegment.copy(panelQuants, 0, quants, ValueLayout.JAVA_BYTE, quantOffset(panel, 0), panelQuants.length);
        }
    }

    /**
     * Writes the {@code NR} scales of block {@code block} of panel {@code panel} to {@code dst} as F32. Scalar on
     * purpose: decoding them with vector integer operations in the same compiled method made the kernels'
     * inner loops 4x slower (C2, JDK 25), while {@code Float.float16ToFloat} is a single instruction.
     */
    final void decodeScales(int panel, int block, MemorySegment dst) {
        long at = scaleOffset(panel, block);
        for (int c = 0; c < NR; c++) {
            dst.setAtIndex(Lanes.F32, c, Float.float16ToFloat(scales.get(I16, at + (long) c * Short.BYTES)));
        }
    }

    /**
     * Decodes the scales of every block of panel {@code panel} to F32, {@code NR} per block, in a plain loop over
     * heap arrays that C2 compiles to vector f16 conversions.
     */
    final float[] decodePanelScales(int panel, MatmulScratch scratch) {
        int n = blocks * NR;
        short[] halves = scratch.halves(n);
        float[] floats = scratch.row(n);
        MemorySegment.copy(scales, I16, scaleOffset(panel, 0), halves, 0, n);
        for (int i = 0; i < n; i++) {
            floats[i] = Float.float16ToFloat(halves[i]);
        }
        return floats;
    }

    /**
     * Where byte {@code i} of feature {@code c}'s block {@code b} goes among a panel's bytes: block by block, each
     * input-major ({@code [block][byte][NR]}), unless a format says otherwise.
     */
    int quantIndex(int c, int b, int i) {
        return (b * quantBytes + i) * NR + c;
    }

    /** How a quant byte of the file is stored in the panel; unchanged unless a format says otherwise. */
    byte storedByte(byte fileByte) {
        return fileByte;
    }

    @Override
    final int kGranule() {
        return BLOCK;
    }
}
