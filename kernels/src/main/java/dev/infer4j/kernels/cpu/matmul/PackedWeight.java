package dev.infer4j.kernels.cpu.matmul;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Weight;
import java.lang.foreign.MemorySegment;

/**
 * A weight matrix prepared for the CPU kernels. Every format is repacked into <em>panels</em> of
 * {@link Lanes#NR} consecutive output features, stored k-major (for each input index, the NR values of
 * the panel side by side; the integer GEMV formats pair inputs within groups of L features, see
 * {@link NibblePanels}), so the GEMM micro-kernel and the GEMV kernels stream each panel front to back
 * and never reduce across lanes. The last panel is padded with zero features.
 *
 * <p>Memory: repacked data lives in {@link PanelMemory} owned by the weight, freed once the weight is unreachable
 * (outside the JVM's direct-memory limit); the source tensor is no longer needed after preparation.
 */
abstract sealed class PackedWeight implements Weight permits F32Panels, HalfPanels, ScaledBlockPanels, Q4_KPanels, Q6_KPanels {
    final DType dtype;
    final int outFeatures;
    final int inFeatures;
    /** Number of panels: {@code ceil(outFeatures / NR)}. */
    final int panels;

    PackedWeight(DType dtype, int outFeatures, int inFeatures) {
        this.dtype = dtype;
        this.outFeatures = outFeatures;
        this.inFeatures = inFeatures;
        this.panels = (outFeatures + Lanes.NR - 1) / Lanes.NR;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long outFeatures() {
        return outFeatures;
    }

    @Override
    public long inFeatures() {
        return inFeatures;
    }

    /** Features of panel {@code panel} that exist (the last panel may be partly padding). */
    final int columnsOf(int panel) {
        return Math.min(Lanes.NR, outFeatures - panel * Lanes.NR);
    }

    /** Whether {@link #gemv} reads x rounded to 8 bits per block ({@link QuantizedInput}), as the integer kernels do. */
    boolean gemvRoundsInput() {
        return false;
    }

    /** Granularity of k blocks handed to {@link #unpack}: the dtype's block size, or 1. */
    int kGranule() {
        return 1;
    }

    /**
     * One row of x times the panels {@code [from, to)}: writes {@code out[j] = x · w_j + bias[j]} for their
     * features ({@code bias} may be null). {@code x} is the row's {@link #inFeatures} floats copied to the heap (null
     * when {@link #gemvRoundsInput}), {@code xq} the row rounded to 8 bits when {@link #gemvRoundsInput} (else null),
     * either prepared once per call by the calling thread;
     * {@code out} and {@code bias} are indexed from {@code outOff} and 0.
     */
    abstract void gemv(float[] x, QuantizedInput xq, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch);

    /**
     * Writes inputs {@code [k0, k0 + kc)} of panel {@code panel} as F32 into {@code dst} from offset 0, k-major
     * ({@code NR} floats per input index), for the GEMM micro-kernel. {@code k0} and {@code kc} are multiples of
     * {@link #kGranule()} except for a final short block.
     */
    abstract void unpack(int panel, int k0, int kc, MemorySegment dst, MatmulScratch scratch);

    /** Copies a panel's results from {@code tile} ({@code NR} floats) to its features in {@code out}, adding the bias. */
    final void storePanel(MemorySegment tile, MemorySegment out, long outOff, MemorySegment bias, int panel) {
        int first = panel * Lanes.NR;
        int cols = columnsOf(panel);
        for (int c = 0; c < cols; c++) {
            float v = tile.getAtIndex(Lanes.F32, c);
            if (bias != null) {
                v += bias.getAtIndex(Lanes.F32, first + c);
            }
            out.set(Lanes.F32, outOff + (long) (first + c) * Float.BYTES, v);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + dtype + " " + outFeatures + " x " + inFeatures + "]";
    }
}
