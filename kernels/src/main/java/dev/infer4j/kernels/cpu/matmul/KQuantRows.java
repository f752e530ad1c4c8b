package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.F32;
import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.dtype.BlockCodec;
import dev.infer4j.kernels.dtype.Q6_KCodec;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q6_K weights read in place, {@code [out, in]} rows of GGUF super-blocks (the tensor's memory,
 * typically a mapped file, must stay valid as long as this weight is used). GEMV decodes each super-block
 * into float vectors and accumulates a dot product per feature; GEMM unpacks panels through the scalar codec.
 * Numerics: the dequantized weight is formed with one fused multiply-add per value, so results match
 * the codec's values up to float rounding.
 */
final class KQuantRows extends PackedWeight {
    private static final int BLOCK = 256;

    private final MemorySegment data;
    private final long rowBytes;
    private final BlockCodec codec;

    KQuantRows(Tensor w) {
        super(w.dtype(), Math.toIntExact(w.dim(0)), Math.toIntExact(w.dim(1)));
        this.data = w.segment();
        this.rowBytes = w.rowBytes();
        this.codec = BlockCodec.of(w.dtype());
    }

    @Override
    int kGranule() {
        return BLOCK;
    }

    @Override
    void gemv(MemorySegment x, long xOff, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        int end = Math.min(outFeatures, to * NR);
        for (int j = from * NR; j < end; j++) {
            float dot = dotQ6K(x, xOff, j * rowBytes, scratch.tile);
            if (bias != null) {
                dot += bias.getAtIndex(F32, j);
            }
            out.set(F32, outOff + (long) j * Float.BYTES, dot);
        }
    }

    private static FloatVector load(MemorySegment x, long offset) {
        return FloatVector.fromMemorySegment(FLOATS, x, offset, NATIVE);
    }

    /**
     * Q6_K dot product, one quarter of a half block (32 values) per call of {@link #q6Quarter}, the partial sums
     * kept in {@code acc} (L floats). A method decoding all four quarters grew past C2's inlining node budget and
     * its vector operations fell back to boxed Java code (10x slower).
     */
    private float dotQ6K(MemorySegment x, long xOff, long row, MemorySegment acc) {
        FloatVector.zero(FLOATS).intoMemorySegment(acc, 0, NATIVE);
        int superBlocks = inFeatures / BLOCK;
        for (int sb = 0; sb < superBlocks; sb++) {
            long block = row + (long) sb * Q6_KCodec.BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(Lanes.I16, block + Q6_KCodec.D));
            for (int half = 0; half < 2; half++) {
                long ql = block + Q6_KCodec.QL + 64L * half;
                long qh = block + Q6_KCodec.QH + 32L * half;
                long scales = block + Q6_KCodec.SCALES + 8L * half;
                long xs = xOff + ((long) sb * BLOCK + 128L * half) * Float.BYTES;
                // quarter g: nibble g / 2 of ql[l + 32 (g % 2)], bits 2g..2g+1 of qh[l] (see Q6_KCodec.quant)
                for (int g = 0; g < 4; g++) {
                    q6Quarter(x, xs + 32L * g * Float.BYTES, ql + 32 * (g & 1), 4 * (g >> 1), qh, 2 * g, scales + 2 * g, d, acc);
                }
            }
        }
        return FloatVector.fromMemorySegment(FLOATS, acc, 0, NATIVE).reduceLanes(VectorOperators.ADD);
    }

    private void q6Quarter(MemorySegment x, long xs, long ql, int nibbleShift, long qh, int highShift, long scales, float d,
            MemorySegment acc) {
        FloatVector sum = FloatVector.fromMemorySegment(FLOATS, acc, 0, NATIVE);
        for (int l = 0; l < 32; l += L) {
            ByteVector low = VectorLoads.shiftRightPairs(VectorLoads.bytes(data, ql + l), nibbleShift).and((byte) 0x0F);
            ByteVector high = VectorLoads.shiftRightPairs(VectorLoads.bytes(data, qh + l), highShift).and((byte) 3);
            ByteVector q = low.or(VectorLoads.shiftLeftPairs(high, 4)).sub((byte) 32);
            // a vector of L <= 16 values stays within one group of 16, which has one scale
            float scale = d * data.get(JAVA_BYTE, scales + l / 16);
            sum = VectorLoads.toFloats(q).mul(scale).fma(load(x, xs + (long) l * Float.BYTES), sum);
        }
        sum.intoMemorySegment(acc, 0, NATIVE);
    }

    @Override
    void unpack(int panel, int k0, int kc, MemorySegment dst, MatmulScratch scratch) {
        float[] row = scratch.row(kc);
        long stride = (long) NR * Float.BYTES;
        for (int c = 0; c < NR; c++) {
            int j = panel * NR + c;
            if (j < outFeatures) {
                codec.dequantize(data, j * rowBytes + dtype.byteSize(k0), row, 0, kc);
            } else {
                java.util.Arrays.fill(row, 0, kc, 0f);
            }
            long at = (long) c * Float.BYTES;
            for (int k = 0; k < kc; k++) {
                dst.set(F32, at + k * stride, row[k]);
            }
        }
    }
}
