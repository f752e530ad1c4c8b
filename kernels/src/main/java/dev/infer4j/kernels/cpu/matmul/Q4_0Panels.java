package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.F32;
import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static dev.infer4j.kernels.cpu.matmul.Lanes.VECTOR_BYTES;

import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0 panels ({@link ScaledBlockPanels}): each quant byte holds the nibbles of inputs {@code i} (low) and
 * {@code i + 16} (high) of its block. Numerics as {@link Q8_0Panels}.
 */
final class Q4_0Panels extends ScaledBlockPanels {
    private static final long HALF_VECTOR_BYTES = (long) L * Short.BYTES;
    private static final long HIGH_HALF = 16L * Float.BYTES;

    Q4_0Panels(Tensor w) {
        super(w, 16);
    }

    private static ByteVector low(ByteVector packed) {
        return packed.and((byte) 0x0F).sub((byte) 8);
    }

    private static ByteVector high(ByteVector packed) {
        return packed.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
    }

    @Override
    void gemv(MemorySegment x, long xOff, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        for (int panel = from; panel < to; panel++) {
            FloatVector acc0 = FloatVector.zero(FLOATS);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            for (int b = 0; b < blocks; b++) {
                // separate sums for low and high nibbles: shorter dependency chains
                FloatVector lo0 = FloatVector.zero(FLOATS);
                FloatVector lo1 = lo0;
                FloatVector lo2 = lo0;
                FloatVector hi0 = lo0;
                FloatVector hi1 = lo0;
                FloatVector hi2 = lo0;
                long q = quantOffset(panel, b);
                long xb = xOff + (long) b * BLOCK * Float.BYTES;
                for (int i = 0; i < BLOCK / 2; i++) {
                    long xi = xb + (long) i * Float.BYTES;
                    FloatVector xl = FloatVector.broadcast(FLOATS, x.get(F32, xi));
                    FloatVector xh = FloatVector.broadcast(FLOATS, x.get(F32, xi + HIGH_HALF));
                    long qi = q + (long) i * NR;
                    ByteVector p0 = VectorLoads.bytes(quants, qi);
                    ByteVector p1 = VectorLoads.bytes(quants, qi + L);
                    ByteVector p2 = VectorLoads.bytes(quants, qi + 2 * L);
                    lo0 = VectorLoads.toFloats(low(p0)).fma(xl, lo0);
                    lo1 = VectorLoads.toFloats(low(p1)).fma(xl, lo1);
                    lo2 = VectorLoads.toFloats(low(p2)).fma(xl, lo2);
                    hi0 = VectorLoads.toFloats(high(p0)).fma(xh, hi0);
                    hi1 = VectorLoads.toFloats(high(p1)).fma(xh, hi1);
                    hi2 = VectorLoads.toFloats(high(p2)).fma(xh, hi2);
                }
                long s = scaleOffset(panel, b);
                acc0 = lo0.add(hi0).fma(VectorLoads.f16(scales, s), acc0);
                acc1 = lo1.add(hi1).fma(VectorLoads.f16(scales, s + HALF_VECTOR_BYTES), acc1);
                acc2 = lo2.add(hi2).fma(VectorLoads.f16(scales, s + 2 * HALF_VECTOR_BYTES), acc2);
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
            long s = scaleOffset(panel, b);
            FloatVector d0 = VectorLoads.f16(scales, s);
            FloatVector d1 = VectorLoads.f16(scales, s + HALF_VECTOR_BYTES);
            FloatVector d2 = VectorLoads.f16(scales, s + 2 * HALF_VECTOR_BYTES);
            long q = quantOffset(panel, b);
            long to = (long) (b * BLOCK - k0) * NR * Float.BYTES;
            long high = 16L * NR * Float.BYTES;
            for (int i = 0; i < BLOCK / 2; i++) {
                long qi = q + (long) i * NR;
                long ti = to + (long) i * NR * Float.BYTES;
                ByteVector p0 = VectorLoads.bytes(quants, qi);
                ByteVector p1 = VectorLoads.bytes(quants, qi + L);
                ByteVector p2 = VectorLoads.bytes(quants, qi + 2 * L);
                VectorLoads.toFloats(low(p0)).mul(d0).intoMemorySegment(dst, ti, NATIVE);
                VectorLoads.toFloats(low(p1)).mul(d1).intoMemorySegment(dst, ti + VECTOR_BYTES, NATIVE);
                VectorLoads.toFloats(low(p2)).mul(d2).intoMemorySegment(dst, ti + 2 * VECTOR_BYTES, NATIVE);
                VectorLoads.toFloats(high(p0)).mul(d0).intoMemorySegment(dst, ti + high, NATIVE);
                VectorLoads.toFloats(high(p1)).mul(d1).intoMemorySegment(dst, ti + high + VECTOR_BYTES, NATIVE);
                VectorLoads.toFloats(high(p2)).mul(d2).intoMemorySegment(dst, ti + high + 2 * VECTOR_BYTES, NATIVE);
            }
        }
    }
}
