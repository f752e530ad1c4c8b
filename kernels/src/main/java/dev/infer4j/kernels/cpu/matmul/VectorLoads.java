package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.BYTES;
import static dev.infer4j.kernels.cpu.matmul.Lanes.FLOATS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.INTS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;
import static dev.infer4j.kernels.cpu.matmul.Lanes.SHORTS;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Loads of {@link Lanes#L} narrow values widened to one float vector. These are small enough to be
 * inlined into the kernels' loops, which is where they must be called from (a vector returned from a
 * call that is not inlined gets boxed).
 */
final class VectorLoads {
    private VectorLoads() {
    }

    /** L signed bytes at {@code offset}. */
    static FloatVector int8(MemorySegment seg, long offset) {
        return (FloatVector) ByteVector.fromMemorySegment(BYTES, seg, offset, NATIVE)
                .convertShape(VectorOperators.B2F, FLOATS, 0);
    }

    /** Signed bytes to floats. */
    static FloatVector toFloats(ByteVector bytes) {
        return (FloatVector) bytes.convertShape(VectorOperators.B2F, FLOATS, 0);
    }

    /** L bytes at {@code offset}. */
    static ByteVector bytes(MemorySegment seg, long offset) {
        return ByteVector.fromMemorySegment(BYTES, seg, offset, NATIVE);
    }

    /**
     * {@code bytes} with every 16-bit pair shifted left by {@code n}: the caller masks each byte to the bits
     * that came from itself. Byte shifts have no x86 instruction and the Vector API's emulation is not
     * compiled inline (it boxes), while 16-bit shifts are single instructions.
     */
    static ByteVector shiftLeftPairs(ByteVector bytes, int n) {
        return bytes.reinterpretAsShorts().lanewise(VectorOperators.LSHL, n).reinterpretAsBytes();
    }

    /** {@code bytes} with every 16-bit pair shifted right (logically) by {@code n}; mask as for {@link #shiftLeftPairs}. */
    static ByteVector shiftRightPairs(ByteVector bytes, int n) {
        return bytes.reinterpretAsShorts().lanewise(VectorOperators.LSHR, n).reinterpretAsBytes();
    }

    /**
     * L IEEE binary16 values at {@code offset}, exactly (subnormals, infinities and NaN included). No float
     * arithmetic touches a subnormal: x86 without flush-to-zero runs every vector operation with a subnormal
     * operand through a microcode assist. The earlier conversion scaled the shifted bits by 2^112 as a float,
     * so a vector holding one of a model's F16 subnormals (0.24 % of the TinyLlama-shape file's weights, as of
     * trained ones) took the assist: the GEMV over the file's matrices streamed 34-40 GB/s where the same
     * matrices filled with values free of subnormals streamed 48-49. Now 41-44 GB/s on the file's matrices, F16
     * decode +3-5 % (3 alternating pairs of fresh JVMs: 18.6-19.2 vs 17.7-18.5 tokens/s).
     */
    static FloatVector f16(MemorySegment seg, long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(SHORTS, seg, offset, NATIVE)
                .convertShape(VectorOperators.S2I, INTS, 0);
        IntVector magnitude = h.and(0x7FFF);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        // normals: exponent bias 15 -> 127 by an integer add
        IntVector bits = shifted.add(112 << 23);
        // subnormals and zero: the 10-bit mantissa times 2^-24, a normal float times a power of two (exact)
        FloatVector tiny = ((FloatVector) magnitude.convert(VectorOperators.I2F, 0)).mul(0x1p-24f);
        bits = bits.blend(tiny.reinterpretAsInts(), magnitude.compare(VectorOperators.LT, 0x0400));
        bits = bits.blend(shifted.or(0x7F800000), magnitude.compare(VectorOperators.GE, 0x7C00));
        return bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    /** L bfloat16 values at {@code offset}. */
    static FloatVector bf16(MemorySegment seg, long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(SHORTS, seg, offset, NATIVE)
                .convertShape(VectorOperators.S2I, INTS, 0);
        return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
}
