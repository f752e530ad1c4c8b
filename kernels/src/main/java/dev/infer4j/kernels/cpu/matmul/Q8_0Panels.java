package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;

import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Q8_0 panels ({@link ScaledBlockPanels}). GEMV multiplies the int8 quants (widened to float) by the F32
 * activations and scales each block's partial sums once, so results differ from a dequantize-then-multiply
 * reference only by float rounding (relative error of order {@code 1e-6 * sqrt(k)}).
 */
final class Q8_0Panels extends ScaledBlockPanels {

    Q8_0Panels(Tensor w) {
        super(w, 32, false);
    }

    @Override
    void gemv(float[] x, QuantizedInput xq, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        for (int panel = from; panel < to; panel++) {
            FloatVector acc0 = FloatVector.zero(FLOATS);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            for (int b = 0; b < blocks; b++) {
                FloatVector t0 = FloatVector.zero(FLOATS);
                FloatVector t1 = t0;
                FloatVector t2 = t0;
                long q = quantOffset(panel, b);
                int xb = b * BLOCK;
                for (int i = 0; i < BLOCK; i++) {
                    FloatVector xi = FloatVector.broadcast(FLOATS, x[xb + i]);
                    long qi = q + (long) i * NR;
                    t0 = VectorLoads.int8(quants, qi).fma(xi, t0);
                    t1 = VectorLoads.int8(quants, qi + L).fma(xi, t1);
                    t2 = VectorLoads.int8(quants, qi + 2 * L).fma(xi, t2);
                }
                MemorySegment ds = scratch.blockScales;
                decodeScales(panel, b, ds);
                acc0 = t0.fma(FloatVector.fromMemorySegment(FLOATS, ds, 0, NATIVE), acc0);
                acc1 = t1.fma(FloatVector.fromMemorySegment(FLOATS, ds, VECTOR_BYTES, NATIVE), acc1);
                acc2 = t2.fma(FloatVector.fromMemorySegment(FLOATS, ds, 2 * VECTOR_BYTES, NATIVE), acc2);
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
        for (int b = k0 / BLOCK; b < (k0 + kc) / BLOCK; b++) {
            MemorySegment ds = scratch.blockScales;
            decodeScales(panel, b, ds);
            FloatVector d0 = FloatVector.fromMemorySegment(FLOATS, ds, 0, NATIVE);
            FloatVector d1 = FloatVector.fromMemorySegment(FLOATS, ds, VECTOR_BYTES, NATIVE);
            FloatVector d2 = FloatVector.fromMemorySegment(FLOATS, ds, 2 * VECTOR_BYTES, NATIVE);
            long q = quantOffset(panel, b);
            long to = (long) (b * BLOCK - k0) * NR * Float.BYTES;
            for (int i = 0; i < BLOCK; i++) {
                long qi = q + (long) i * NR;
                long ti = to + (long) i * NR * Float.BYTES;
                VectorLoads.int8(quants, qi).mul(d0).intoMemorySegment(dst, ti, NATIVE);
                VectorLoads.int8(quants, qi + L).mul(d1).intoMemorySegment(dst, ti + VECTOR_BYTES, NATIVE);
                VectorLoads.int8(quants, qi + 2 * L).mul(d2).intoMemorySegment(dst, ti + 2 * VECTOR_BYTES, NATIVE);
            }
        }
    }
}
