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

    /** L IEEE binary16 values at {@code offset}, exactly (subnormals, infinities and NaN included). */
    static FloatVector f16(MemorySegment seg, long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(SHORTS, seg, offset, NATIVE)
                .convertShape(VectorOperators.S2I, INTS, 0);
        IntVector magnitude = h.and(0x7FFF);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        // exponent bias 15 -> 127: scaling by 2^112 is exact for normals and turns subnormals into normals
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> infOrNaN = magnitude.compare(VectorOperators.GE, 0x7C00);
        IntVector bits = finite.blend(shifted.or(0x7F800000), infOrNaN);
        return bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    /** L bfloat16 values at {@code offset}. */
    static FloatVector bf16(MemorySegment seg, long offset) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(SHORTS, seg, offset, NATIVE)
                .convertShape(VectorOperators.S2I, INTS, 0);
        return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
}
