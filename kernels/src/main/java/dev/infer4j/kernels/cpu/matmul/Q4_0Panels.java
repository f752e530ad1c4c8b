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

/**
 * Q4_0 panels ({@link ScaledBlockPanels}): each quant byte holds the nibbles of inputs {@code i} (low) and
 * {@code i + 16} (high) of its block.
 *
 * <p>The high nibble is stored XOR 8, i.e. as the 4-bit two's complement of {@code q - 8}, so that
 * {@code byte & 0xF0}, read as a signed byte, is {@code 16 (q - 8)}, and {@code byte - (byte & 0xF0)} is the low
 * nibble {@code q}: two byte operations per 32 weights and no byte shift (which x86 lacks). The GEMV
 * accounts for the low nibbles' offset of 8 with the block's sum of x and for the high nibbles' factor 16
 * by multiplying their x by 1/16; results differ from a dequantize-then-multiply reference only by float rounding.
 * {@link #unpack} produces exactly the codec's values.
 */
final class Q4_0Panels extends ScaledBlockPanels {
    private static final long HIGH_HALF = 16L * Float.BYTES;

    Q4_0Panels(Tensor w) {
        super(w, 16);
    }

    @Override
    byte storedByte(byte fileByte) {
        return (byte) (fileByte ^ 0x80);
    }

    @Override
    void gemv(MemorySegment x, long xOff, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        float[] lowSums = scratch.row(blocks);
        for (int b = 0; b < blocks; b++) {
            float s = 0;
            for (int i = 0; i < 16; i++) {
                s += x.get(F32, xOff + ((long) b * BLOCK + i) * Float.BYTES);
            }
            lowSums[b] = s;
        }
        for (int panel = from; panel < to; panel++) {
            FloatVector acc0 = FloatVector.zero(FLOATS);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            for (int b = 0; b < blocks; b++) {
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
                    // x / 16 (exact) turns the high nibbles' 16 (q - 8) into q - 8
                    FloatVector xh = FloatVector.broadcast(FLOATS, x.get(F32, xi + HIGH_HALF) * 0.0625f);
                    long qi = q + (long) i * NR;
                    ByteVector p0 = VectorLoads.bytes(quants, qi);
                    ByteVector p1 = VectorLoads.bytes(quants, qi + L);
                    ByteVector p2 = VectorLoads.bytes(quants, qi + 2 * L);
                    ByteVector h0 = p0.and((byte) 0xF0);
                    ByteVector h1 = p1.and((byte) 0xF0);
                    ByteVector h2 = p2.and((byte) 0xF0);
                    lo0 = VectorLoads.toFloats(p0.sub(h0)).fma(xl, lo0);
                    lo1 = VectorLoads.toFloats(p1.sub(h1)).fma(xl, lo1);
                    lo2 = VectorLoads.toFloats(p2.sub(h2)).fma(xl, lo2);
                    hi0 = VectorLoads.toFloats(h0).fma(xh, hi0);
                    hi1 = VectorLoads.toFloats(h1).fma(xh, hi1);
                    hi2 = VectorLoads.toFloats(h2).fma(xh, hi2);
                }
                // block sum per feature: sum(q_lo x) - 8 sum(x_lo) + sum((q_hi - 8) x)
                float offset = -8 * lowSums[b];
                MemorySegment ds = scratch.blockScales;
                decodeScales(panel, b, ds);
                acc0 = lo0.add(hi0).add(offset).fma(FloatVector.fromMemorySegment(FLOATS, ds, 0, NATIVE), acc0);
                acc1 = lo1.add(hi1).add(offset).fma(FloatVector.fromMemorySegment(FLOATS, ds, VECTOR_BYTES, NATIVE), acc1);
                acc2 = lo2.add(hi2).add(offset).fma(FloatVector.fromMemorySegment(FLOATS, ds, 2 * VECTOR_BYTES, NATIVE), acc2);
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
            decodeScales(panel, b, scratch.blockScales);
            long q = quantOffset(panel, b);
            long to = (long) (b * BLOCK - k0) * NR * Float.BYTES;
            // two passes: one loop decoding both nibbles exceeded C2's inlining budget and got boxed
            unpackLow(q, to, scratch.blockScales, dst);
            unpackHigh(q, to + 16L * NR * Float.BYTES, scratch.blockScales, dst);
        }
    }

    /** Inputs 0..15 of a block: {@code (q - 8) d = q d - 8 d}, exact (few significant bits). */
    private void unpackLow(long q, long to, MemorySegment ds, MemorySegment dst) {
        FloatVector d0 = FloatVector.fromMemorySegment(FLOATS, ds, 0, NATIVE);
        FloatVector d1 = FloatVector.fromMemorySegment(FLOATS, ds, VECTOR_BYTES, NATIVE);
        FloatVector d2 = FloatVector.fromMemorySegment(FLOATS, ds, 2 * VECTOR_BYTES, NATIVE);
        FloatVector m0 = d0.mul(-8f);
        FloatVector m1 = d1.mul(-8f);
        FloatVector m2 = d2.mul(-8f);
        for (int i = 0; i < BLOCK / 2; i++) {
            long qi = q + (long) i * NR;
            long ti = to + (long) i * NR * Float.BYTES;
            ByteVector p0 = VectorLoads.bytes(quants, qi);
            ByteVector p1 = VectorLoads.bytes(quants, qi + L);
            ByteVector p2 = VectorLoads.bytes(quants, qi + 2 * L);
            VectorLoads.toFloats(p0.sub(p0.and((byte) 0xF0))).fma(d0, m0).intoMemorySegment(dst, ti, NATIVE);
            VectorLoads.toFloats(p1.sub(p1.and((byte) 0xF0))).fma(d1, m1).intoMemorySegment(dst, ti + VECTOR_BYTES, NATIVE);
            VectorLoads.toFloats(p2.sub(p2.and((byte) 0xF0))).fma(d2, m2).intoMemorySegment(dst, ti + 2 * VECTOR_BYTES, NATIVE);
        }
    }

    /** Inputs 16..31 of a block: {@code 16 (q - 8) * (d / 16)}, exact. */
    private void unpackHigh(long q, long to, MemorySegment ds, MemorySegment dst) {
        FloatVector e0 = FloatVector.fromMemorySegment(FLOATS, ds, 0, NATIVE).mul(0.0625f);
        FloatVector e1 = FloatVector.fromMemorySegment(FLOATS, ds, VECTOR_BYTES, NATIVE).mul(0.0625f);
        FloatVector e2 = FloatVector.fromMemorySegment(FLOATS, ds, 2 * VECTOR_BYTES, NATIVE).mul(0.0625f);
        for (int i = 0; i < BLOCK / 2; i++) {
            long qi = q + (long) i * NR;
            long ti = to + (long) i * NR * Float.BYTES;
            VectorLoads.toFloats(VectorLoads.bytes(quants, qi).and((byte) 0xF0)).mul(e0).intoMemorySegment(dst, ti, NATIVE);
            VectorLoads.toFloats(VectorLoads.bytes(quants, qi + L).and((byte) 0xF0)).mul(e1)
                    .intoMemorySegment(dst, ti + VECTOR_BYTES, NATIVE);
            VectorLoads.toFloats(VectorLoads.bytes(quants, qi + 2 * L).and((byte) 0xF0)).mul(e2)
                    .intoMemorySegment(dst, ti + 2 * VECTOR_BYTES, NATIVE);
        }
    }
}
