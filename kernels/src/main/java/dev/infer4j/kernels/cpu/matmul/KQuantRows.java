package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.F32;
import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.L;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NR;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

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
 * into float vectors and accumulates a dot product per feature, also for products of a few rows
 * ({@link #prefersRowGemv}); larger GEMMs unpack panels through the scalar codec.
 * Numerics: the dequantized weight is formed with one fused multiply-add per value, so results match
 * the codec's values up to float rounding.
 */
final class KQuantRows extends PackedWeight {
    private static final int BLOCK = 256;
    private static final java.lang.foreign.ValueLayout.OfInt I32 = JAVA_INT_UNALIGNED;

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

    /**
     * Up to this many rows of x (as many L-float partial sums as the scratch tile holds), a matmul runs the
     * vectorized GEMV kernels over rows instead of the GEMM path's scalar unpack, which cost more (measured:
     * 8 decode rows of a TinyLlama Q6_K output matrix spent most of their time in the unpack). Q6_K decodes each
     * super-block once for all rows ({@link #dotQ6KRows}); Q4_K runs its GEMV row by row.
     */
    private static final int ROW_GEMV_MAX_ROWS = Lanes.MR * Lanes.PANEL_VECTORS;

    @Override
    boolean prefersRowGemv(int n) {
        return n <= ROW_GEMV_MAX_ROWS;
    }

    @Override
    void gemvRows(MemorySegment x, long xStride, int n, MemorySegment out, long outStride, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        if (dtype != DType.Q6_K) {
            super.gemvRows(x, xStride, n, out, outStride, bias, from, to, scratch);
            return;
        }
        MemorySegment acc = scratch.tile;
        int end = Math.min(outFeatures, to * NR);
        for (int j = from * NR; j < end; j++) {
            dotQ6KRows(x, xStride, n, j * rowBytes, acc, scratch.panel);
            float b = bias == null ? 0f : bias.getAtIndex(F32, j);
            for (int r = 0; r < n; r++) {
                float dot = FloatVector.fromMemorySegment(FLOATS, acc, r * Lanes.VECTOR_BYTES, NATIVE)
                        .reduceLanes(VectorOperators.ADD);
                out.set(F32, r * outStride + (long) j * Float.BYTES, bias == null ? dot : dot + b);
            }
        }
    }

    /**
     * {@link #dotQ6K} for {@code n} rows of x at once: each super-block is decoded once into {@code weights}
     * (256 floats), then multiplied with the rows four at a time in registers; row r's partial sums are kept in
     * {@code acc} at {@code r * L} floats.
     */
    private void dotQ6KRows(MemorySegment x, long xStride, int n, long row, MemorySegment acc, MemorySegment weights) {
        FloatVector zero = FloatVector.zero(FLOATS);
        for (int r = 0; r < n; r++) {
            zero.intoMemorySegment(acc, r * Lanes.VECTOR_BYTES, NATIVE);
        }
        int superBlocks = inFeatures / BLOCK;
        for (int sb = 0; sb < superBlocks; sb++) {
            long block = row + (long) sb * Q6_KCodec.BLOCK_BYTES;
            float d = Float.float16ToFloat(data.get(Lanes.I16, block + Q6_KCodec.D));
            for (int half = 0; half < 2; half++) {
                long ql = block + Q6_KCodec.QL + 64L * half;
                long qh = block + Q6_KCodec.QH + 32L * half;
                long scales = block + Q6_KCodec.SCALES + 8L * half;
                for (int g = 0; g < 4; g++) {
                    decodeQ6Quarter(ql + 32 * (g & 1), 4 * (g >> 1), qh, 2 * g, scales + 2 * g, d, weights,
                            (128L * half + 32L * g) * Float.BYTES);
                }
            }
            long xs = (long) sb * BLOCK * Float.BYTES;
            int r = 0;
            for (; r + 4 <= n; r += 4) {
                multiplyFourRows(x, xs + r * xStride, xStride, weights, acc, r * Lanes.VECTOR_BYTES);
            }
            for (; r < n; r++) {
                multiplyRow(x, xs + r * xStride, weights, acc, r * Lanes.VECTOR_BYTES);
            }
        }
    }

    /** The 32 weights of one quarter of a Q6_K half block (see {@link #q6Quarter}) as floats into {@code dst}. */
    private void decodeQ6Quarter(long ql, int nibbleShift, long qh, int highShift, long scales, float d,
            MemorySegment dst, long dstOff) {
        for (int l = 0; l < 32; l += L) {
            ByteVector low = VectorLoads.shiftRightPairs(VectorLoads.bytes(data, ql + l), nibbleShift).and((byte) 0x0F);
            ByteVector high = VectorLoads.shiftRightPairs(VectorLoads.bytes(data, qh + l), highShift).and((byte) 3);
            ByteVector q = low.or(VectorLoads.shiftLeftPairs(high, 4)).sub((byte) 32);
            VectorLoads.toFloats(q).mul(d * data.get(JAVA_BYTE, scales + l / 16))
                    .intoMemorySegment(dst, dstOff + (long) l * Float.BYTES, NATIVE);
        }
    }

    /** Adds one super-block's 256 decoded weights times four consecutive rows of x to their partial sums. */
    private static void multiplyFourRows(MemorySegment x, long x0, long xStride, MemorySegment weights,
            MemorySegment acc, long a) {
        long vb = Lanes.VECTOR_BYTES;
        FloatVector s0 = FloatVector.fromMemorySegment(FLOATS, acc, a, NATIVE);
        FloatVector s1 = FloatVector.fromMemorySegment(FLOATS, acc, a + vb, NATIVE);
        FloatVector s2 = FloatVector.fromMemorySegment(FLOATS, acc, a + 2 * vb, NATIVE);
        FloatVector s3 = FloatVector.fromMemorySegment(FLOATS, acc, a + 3 * vb, NATIVE);
        for (long o = 0; o < BLOCK * Float.BYTES; o += vb) {
            FloatVector w = FloatVector.fromMemorySegment(FLOATS, weights, o, NATIVE);
            s0 = w.fma(load(x, x0 + o), s0);
            s1 = w.fma(load(x, x0 + xStride + o), s1);
            s2 = w.fma(load(x, x0 + 2 * xStride + o), s2);
            s3 = w.fma(load(x, x0 + 3 * xStride + o), s3);
        }
        s0.intoMemorySegment(acc, a, NATIVE);
        s1.intoMemorySegment(acc, a + vb, NATIVE);
        s2.intoMemorySegment(acc, a + 2 * vb, NATIVE);
        s3.intoMemorySegment(acc, a + 3 * vb, NATIVE);
    }

    private static void multiplyRow(MemorySegment x, long x0, MemorySegment weights, MemorySegment acc, long a) {
        FloatVector s = FloatVector.fromMemorySegment(FLOATS, acc, a, NATIVE);
        for (long o = 0; o < BLOCK * Float.BYTES; o += Lanes.VECTOR_BYTES) {
            s = FloatVector.fromMemorySegment(FLOATS, weights, o, NATIVE).fma(load(x, x0 + o), s);
        }
        s.intoMemorySegment(acc, a, NATIVE);
    }

    @Override
    void gemv(MemorySegment x, long xOff, MemorySegment out, long outOff, MemorySegment bias,
            int from, int to, MatmulScratch scratch) {
        int end = Math.min(outFeatures, to * NR);
        for (int j = from * NR; j < end; j++) {
            float dot = dtype == DType.Q4_K ? dotQ4K(x, xOff, j * rowBytes) : dotQ6K(x, xOff, j * rowBytes, scratch.tile);
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
            // the 8 six-bit scales and mins, four per int (see Q4_KCodec.scale / min)
            int a = data.get(I32, block + Q4_KCodec.SCALES);
            int b = data.get(I32, block + Q4_KCodec.SCALES + 4);
            int c = data.get(I32, block + Q4_KCodec.SCALES + 8);
            long scales = (a & 0x3F3F3F3FL) | ((long) ((c & 0x0F0F0F0F) | ((a >>> 2) & 0x30303030)) << 32);
            long mins = (b & 0x3F3F3F3FL) | ((long) (((c >>> 4) & 0x0F0F0F0F) | ((b >>> 2) & 0x30303030)) << 32);
            for (int pair = 0; pair < 4; pair++) {
                float dLow = d * (int) ((scales >>> (16 * pair)) & 0xFF);
                float dHigh = d * (int) ((scales >>> (16 * pair + 8)) & 0xFF);
                float mLow = dmin * (int) ((mins >>> (16 * pair)) & 0xFF);
                float mHigh = dmin * (int) ((mins >>> (16 * pair + 8)) & 0xFF);
                FloatVector scaleLow = FloatVector.broadcast(FLOATS, dLow);
                FloatVector minLow = FloatVector.broadcast(FLOATS, -mLow);
                // high nibbles are read as 16 (q - 8) (see Q4_0Panels): d q - m = 16 (q - 8) d / 16 + 8 d - m
                FloatVector scaleHigh = FloatVector.broadcast(FLOATS, dHigh * 0.0625f);
                FloatVector minHigh = FloatVector.broadcast(FLOATS, 8 * dHigh - mHigh);
                long qs = block + Q4_KCodec.QS + 32L * pair;
                long xs = xOff + ((long) sb * BLOCK + 64L * pair) * Float.BYTES;
                for (int v = 0; v < 32; v += L) {
                    ByteVector packed = VectorLoads.bytes(data, qs + v);
                    ByteVector high = packed.and((byte) 0xF0);
                    FloatVector low = VectorLoads.toFloats(packed.sub(high)).fma(scaleLow, minLow);
                    FloatVector hi = VectorLoads.toFloats(high.lanewise(VectorOperators.XOR, (byte) 0x80)).fma(scaleHigh, minHigh);
                    accLow = low.fma(load(x, xs + (long) v * Float.BYTES), accLow);
                    accHigh = hi.fma(load(x, xs + (32L + v) * Float.BYTES), accHigh);
                }
            }
        }
        return accLow.add(accHigh).reduceLanes(VectorOperators.ADD);
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
