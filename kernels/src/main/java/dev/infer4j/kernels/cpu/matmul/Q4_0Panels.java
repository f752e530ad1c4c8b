package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;

import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Q4_0 panels: {@link ScaledBlockPanels} scales with quants in the {@link NibblePanels} layout, whose GGUF byte
 * order ({@code t}: inputs {@code t} and {@code t + 16}) Q4_0 already has. The weight is {@code d (q - 8)}.
 * GEMV rounds x to 8 bits per block ({@link QuantizedInput}); {@link #unpack} (GEMM) produces exactly the codec's
 * values.
 */
final class Q4_0Panels extends ScaledBlockPanels {

    Q4_0Panels(Tensor w) {
        super(w, 16, true);
    }

    @Override
    byte storedByte(byte fileByte) {
        return NibblePanels.pack(fileByte & 0xF, (fileByte >> 4) & 0xF);
    }

    @Override
    int quantIndex(int c, int b, int i) {
        return NibblePanels.index(c, b, i, blocks);
    }

    @Override
    boolean gemvRoundsInput() {
        return true;
    }

    @Override
    void gemv(float[] x, QuantizedInput xq, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        MemorySegment tile = scratch.tile;
        for (int panel = from; panel < to; panel++) {
            float[] ds = decodePanelScales(panel, scratch);
            // d Σ (q - 8) v: the low nibbles' 8 comes off with x's sums; the high nibbles are read as q - 8
            NibblePanels.panelDot(quants, quantOffset(panel, 0), blocks, ds, xq, -8, 0, tile);
            storePanel(tile, out, outOff, bias, panel);
        }
    }

    @Override
    void unpack(int panel, int k0, int kc, MemorySegment dst, MatmulScratch scratch) {
        for (int b = k0 / BLOCK; b < (k0 + kc) / BLOCK; b++) {
            decodeScales(panel, b, scratch.blockScales);
            long to = (long) (b * BLOCK - k0) * NR * Float.BYTES;
            for (int g = 0; g < 3; g++) {
                // q d - 8 d: exact (few significant bits)
                FloatVector d = FloatVector.fromMemorySegment(FLOATS, scratch.blockScales, g * VECTOR_BYTES, NATIVE);
                NibblePanels.unpackGroup(quants, quantOffset(panel, 0) + NibblePanels.groupOffset(g, b, blocks), d,
                        d.mul(-8f), dst, to + g * VECTOR_BYTES);
            }
        }
    }
}
