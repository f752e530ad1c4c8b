package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.I16;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.WeightLayout;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** F16 or BF16 panels: panel {@code p} holds {@code inFeatures x NR} 16-bit values, k-major; decoded while streaming. */
final class HalfPanels extends PackedWeight {
    private static final long STEP_BYTES = (long) NR * Short.BYTES;
    private static final long HALF_VECTOR_BYTES = (long) L * Short.BYTES;

    /** All panels, {@code panels * inFeatures * NR} halves. */
    private final MemorySegment data;
    private final boolean bf16;

    private HalfPanels(DType dtype, int out, int in) {
        super(dtype, out, in);
        bf16 = dtype == DType.BF16;
        data = PanelMemory.allocate((long) panels * in * STEP_BYTES);
    }

    private long offset(int panel, int k) {
        return ((long) panel * inFeatures + k) * STEP_BYTES;
    }

    /** Repacks an F16 or BF16 weight of either layout (the 16-bit values are copied, not converted). */
    static HalfPanels of(Tensor w, WeightLayout layout) {
        boolean outIn = layout == WeightLayout.OUT_IN;
        int out = Math.toIntExact(w.dim(outIn ? 0 : 1));
        int in = Math.toIntExact(w.dim(outIn ? 1 : 0));
        HalfPanels p = new HalfPanels(w.dtype(), out, in);
        MemorySegment src = w.segment();
        if (outIn) {
            // transposed panel by panel on the heap
            short[] row = new short[in];
            short[] panelData = new short[in * NR];
            for (int panel = 0; panel < p.panels; panel++) {
                java.util.Arrays.fill(panelData, (short) 0);
                for (int c = 0; c < p.columnsOf(panel); c++) {
                    MemorySegment.copy(src, I16, (long) (panel * NR + c) * in * Short.BYTES, row, 0, in);
                    for (int k = 0; k < in; k++) {
                        panelData[k * NR + c] = row[k];
                    }
                }
                MemorySegment.copy(panelData, 0, p.data, I16, p.offset(panel, 0), panelData.length);
            }
        } else {
            for (int k = 0; k < in; k++) {
                for (int panel = 0; panel < p.panels; panel++) {
                    MemorySegment.copy(src, ((long) k * out + (long) panel * NR) * Short.BYTES,
                            p.data, p.offset(panel, k), (long) p.columnsOf(panel) * Short.BYTES);
                }
            }
        }
        return p;
    }

    @Override
    void gemv(float[] x, QuantizedInput xq, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        for (int panel = from; panel < to; panel++) {
            FloatVector acc0 = FloatVector.zero(FLOATS);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            long base = offset(panel, 0);
            if (bf16) {
                for (int k = 0; k < inFeatures; k++) {
                    FloatVector xk = FloatVector.broadcast(FLOATS, x[k]);
                    long at = base + k * STEP_BYTES;
                    acc0 = VectorLoads.bf16(data, at).fma(xk, acc0);
                    acc1 = VectorLoads.bf16(data, at + HALF_VECTOR_BYTES).fma(xk, acc1);
                    acc2 = VectorLoads.bf16(data, at + 2 * HALF_VECTOR_BYTES).fma(xk, acc2);
                }
            } else {
                for (int k = 0; k < inFeatures; k++) {
                    FloatVector xk = FloatVector.broadcast(FLOATS, x[k]);
                    long at = base + k * STEP_BYTES;
                    acc0 = VectorLoads.f16(data, at).fma(xk, acc0);
                    acc1 = VectorLoads.f16(data, at + HALF_VECTOR_BYTES).fma(xk, acc1);
                    acc2 = VectorLoads.f16(data, at + 2 * HALF_VECTOR_BYTES).fma(xk, acc2);
                }
            }
            MemorySegment tile = scratch.tile;
            acc0.intoMemorySegment(tile, 0, NATIVE);
            acc1.intoMemorySegment(tile, VECTOR_BYTES, NATIVE);
            acc2.intoMemorySegment(tile, 2 * VECTOR_BYTES, NATIVE);
            storePanel(tile, out, outOff, bias, panel);
        }
    }

    @Override
    void unpack(int panel, int k0, int kc, MemorySegment dst, MatmulScratch scratch) {
        long src = offset(panel, k0);
        long step = VECTOR_BYTES;
        for (int k = 0; k < kc; k++) {
            long at = src + k * STEP_BYTES;
            long to = (long) k * NR * Float.BYTES;
            if (bf16) {
                VectorLoads.bf16(data, at).intoMemorySegment(dst, to, NATIVE);
                VectorLoads.bf16(data, at + HALF_VECTOR_BYTES).intoMemorySegment(dst, to + step, NATIVE);
                VectorLoads.bf16(data, at + 2 * HALF_VECTOR_BYTES).intoMemorySegment(dst, to + 2 * step, NATIVE);
            } else {
                VectorLoads.f16(data, at).intoMemorySegment(dst, to, NATIVE);
                VectorLoads.f16(data, at + HALF_VECTOR_BYTES).intoMemorySegment(dst, to + step, NATIVE);
                VectorLoads.f16(data, at + 2 * HALF_VECTOR_BYTES).intoMemorySegment(dst, to + 2 * step, NATIVE);
            }
        }
    }
}
