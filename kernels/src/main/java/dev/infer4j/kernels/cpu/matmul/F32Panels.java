package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.F32;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.dtype.Dequantizer;
import java.lang.foreign.MemorySegment;

/**
 * F32 panels: panel {@code p} holds {@code inFeatures x NR} floats, k-major. Used for F32 weights of either
 * layout, and for any other dtype stored {@code [in, out]} (its blocks run along the output features, so it
 * is decoded once here rather than at every call).
 */
final class F32Panels extends PackedWeight {
    /** All panels, {@code panels * inFeatures * NR} floats. */
    final MemorySegment data;

    private F32Panels(DType source, int out, int in) {
        super(source, out, in);
        data = PanelMemory.allocate((long) panels * in * NR * Float.BYTES);
    }

    /** Byte offset of input {@code k} of panel {@code panel}. */
    long offset(int panel, int k) {
        return ((long) panel * inFeatures + k) * NR * Float.BYTES;
    }

    /** From {@code [out, in]}: row {@code j} of the tensor is feature {@code j}. Transposed panel by panel on the heap. */
    static F32Panels fromOutIn(Tensor w) {
        int out = Math.toIntExact(w.dim(0));
        int in = Math.toIntExact(w.dim(1));
        F32Panels p = new F32Panels(w.dtype(), out, in);
        float[] row = new float[in];
        float[] panelData = new float[in * NR];
        for (int panel = 0; panel < p.panels; panel++) {
            java.util.Arrays.fill(panelData, 0f);
            for (int c = 0; c < p.columnsOf(panel); c++) {
                Dequantizer.dequantize(w.dtype(), w.segment(), (long) (panel * NR + c) * w.rowBytes(), row, 0, in);
                for (int k = 0; k < in; k++) {
                    panelData[k * NR + c] = row[k];
                }
            }
            MemorySegment.copy(panelData, 0, p.data, F32, p.offset(panel, 0), panelData.length);
        }
        return p;
    }

    /** From {@code [in, out]}: row {@code k} of the tensor holds input {@code k} of every feature. */
    static F32Panels fromInOut(Tensor w) {
        int in = Math.toIntExact(w.dim(0));
        int out = Math.toIntExact(w.dim(1));
        F32Panels p = new F32Panels(w.dtype(), out, in);
        float[] row = new float[out];
        for (int k = 0; k < in; k++) {
            Dequantizer.dequantize(w.dtype(), w.segment(), k * w.rowBytes(), row, 0, out);
            for (int panel = 0; panel < p.panels; panel++) {
                MemorySegment.copy(row, panel * NR, p.data, F32, p.offset(panel, k), p.columnsOf(panel));
            }
        }
        return p;
    }

    @Override
    void gemv(float[] x, QuantizedInput xq, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        for (int panel = from; panel < to; panel++) {
            GemmKernels.rows1(x, 0, data, offset(panel, 0), inFeatures, scratch.tile);
            storePanel(scratch.tile, out, outOff, bias, panel);
        }
    }

    @Override
    void unpack(int panel, int k0, int kc, MemorySegment dst, MatmulScratch scratch) {
        MemorySegment.copy(data, offset(panel, k0), dst, 0, (long) kc * NR * Float.BYTES);
    }
}
