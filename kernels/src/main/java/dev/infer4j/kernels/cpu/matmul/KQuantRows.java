package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.F32;
import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.dtype.BlockCodec;
import dev.infer4j.kernels.dtype.Q4_KCodec;
import dev.infer4j.kernels.dtype.Q6_KCodec;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_K and Q6_K weights read in place, {@code [out, in]} rows of GGUF super-blocks (the tensor's memory,
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
            float dot = dtype == DType.Q4_K ? dotQ4K(x, xOff, j * rowBytes) : dotQ6K(x, xOff, j * rowBytes);
            if (bias != null) {
                dot += bias.getAtIndex(F32, j);
            }
            out.set(F32, outOff + (long) j * Float.BYTES, dot);
        }
    }

    private static FloatVector load(MemorySegment x, long offset) {
        return FloatVector.fromMemorySegment(FLOATS, x, offset, NATIVE);
    }

    private float dotQ4K(MemorySegment x, long xOff, long row) {
        FloatVector accLow = FloatVector.zero(FLOATS);
        FloatVector accHigh = accLow;
        int superBlocks = inFeatures / BLOCK;
        for (int sb = 0; sb < superBlocks; sb++) {
            long block = row + (long) sb * Q4_KCodec.BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(Lanes.I16, block + Q4_KCodec.D));
            float dmin = Float.float16ToFloat(data.get(Lanes.I16, block + Q4_KCodec.DMIN));
            for (int pair = 0; pair < 4; pair++) {
                FloatVector scaleLow = FloatVector.broadcast(FLOATS, d * Q4_KCodec.scale(data, block, 2 * pair));
                FloatVector minLow = FloatVector.broadcast(FLOATS, -dmin * Q4_KCodec.min(data, block, 2 * pair));
                FloatVector scaleHigh = FloatVector.broadcast(FLOATS, d * Q4_KCodec.scale(data, block, 2 * pair + 1));
                FloatVector minHigh = FloatVector.broadcast(FLOATS, -dmin * Q4_KCodec.min(data, block, 2 * pair + 1));
                long qs = block + Q4_KCodec.QS + 32L * pair;
                long xs = xOff + ((long) sb * BLOCK + 64L * pair) * Float.BYTES;
                for (int v = 0; v < 32; v += L) {
                    ByteVector packed = VectorLoads.bytes(data, qs + v);
                    FloatVector low = VectorLoads.toFloats(packed.and((byte) 0x0F)).fma(scaleLow, minLow);
                    FloatVector high = VectorLoads.toFloats(packed.lanewise(VectorOperators.LSHR, 4)).fma(scaleHigh, minHigh);
                    accLow = low.fma(load(x, xs + (long) v * Float.BYTES), accLow);
                    accHigh = high.fma(load(x, xs + (32L + v) * Float.BYTES), accHigh);
                }
            }
        }
        return accLow.add(accHigh).reduceLanes(VectorOperators.ADD);
    }

    private float dotQ6K(MemorySegment x, long xOff, long row) {
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int superBlocks = inFeatures / BLOCK;
        for (int sb = 0; sb < superBlocks; sb++) {
            long block = row + (long) sb * Q6_KCodec.BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(Lanes.I16, block + Q6_KCodec.D));
            for (int half = 0; half < 2; half++) {
                long ql = block + Q6_KCodec.QL + 64L * half;
                long qh = block + Q6_KCodec.QH + 32L * half;
                long scales = block + Q6_KCodec.SCALES;
                long xs = xOff + ((long) sb * BLOCK + 128L * half) * Float.BYTES;
                for (int l = 0; l < 32; l += L) {
                    ByteVector a = VectorLoads.bytes(data, ql + l);
                    ByteVector b = VectorLoads.bytes(data, ql + 32 + l);
                    ByteVector h = VectorLoads.bytes(data, qh + l);
                    ByteVector q0 = a.and((byte) 0x0F).or(h.and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    ByteVector q1 = b.and((byte) 0x0F).or(h.lanewise(VectorOperators.LSHR, 2).and((byte) 3)
                            .lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    ByteVector q2 = a.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 4)
                            .and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    ByteVector q3 = b.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 6)
                            .lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
                    // value e of the half uses scale (128 half + e) / 16; a vector of L <= 16 stays in one group
                    int group = 8 * half + l / 16;
                    acc0 = VectorLoads.toFloats(q0).mul(d * data.get(JAVA_BYTE, scales + group))
                            .fma(load(x, xs + (long) l * Float.BYTES), acc0);
                    acc1 = VectorLoads.toFloats(q1).mul(d * data.get(JAVA_BYTE, scales + group + 2))
                            .fma(load(x, xs + (32L + l) * Float.BYTES), acc1);
                    acc2 = VectorLoads.toFloats(q2).mul(d * data.get(JAVA_BYTE, scales + group + 4))
                            .fma(load(x, xs + (64L + l) * Float.BYTES), acc2);
                    acc3 = VectorLoads.toFloats(q3).mul(d * data.get(JAVA_BYTE, scales + group + 6))
                            .fma(load(x, xs + (96L + l) * Float.BYTES), acc3);
                }
            }
        }
        return acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
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
