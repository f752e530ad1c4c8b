package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.I16;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import java.lang.foreign.Arena;
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
    final MemorySegment scales;
    final MemorySegment quants;

    ScaledBlockPanels(Tensor w, int quantBytes) {
        super(w.dtype(), Math.toIntExact(w.dim(0)), Math.toIntExact(w.dim(1)));
        this.blocks = inFeatures / BLOCK;
        this.quantBytes = quantBytes;
        Arena arena = Arena.ofAuto();
        scales = arena.allocate((long) panels * blocks * NR * Short.BYTES, 64);
        quants = arena.allocate((long) panels * blocks * quantBytes * NR, 64);
        repack(w);
    }

    /** Byte offset of block {@code block}'s scales in panel {@code panel}. */
    final long scaleOffset(int panel, int block) {
        return ((long) panel * blocks + block) * NR * Short.BYTES;
    }

    /** Byte offset of block {@code block}'s quants in panel {@code panel}. */
    final long quantOffset(int panel, int block) {
        return ((long) panel * blocks + block) * quantBytes * NR;
    }

    private void repack(Tensor w) {
        DType type = w.dtype();
        MemorySegment src = w.segment();
        for (int j = 0; j < outFeatures; j++) {
            int panel = j / NR;
            int c = j % NR;
            long row = j * w.rowBytes();
            for (int b = 0; b < blocks; b++) {
                long block = row + (long) b * type.blockBytes();
                scales.set(I16, scaleOffset(panel, b) + (long) c * Short.BYTES, src.get(I16, block));
                long q = quantOffset(panel, b) + c;
                for (int i = 0; i < quantBytes; i++) {
                    quants.set(ValueLayout.JAVA_BYTE, q + (long) i * NR,
                            storedByte(src.get(ValueLayout.JAVA_BYTE, block + 2 + i)));
                }
            }
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

    /** How a quant byte of the file is stored in the panel; unchanged unless a format says otherwise. */
    byte storedByte(byte fileByte) {
        return fileByte;
    }

    @Override
    final int kGranule() {
        return BLOCK;
    }
}
