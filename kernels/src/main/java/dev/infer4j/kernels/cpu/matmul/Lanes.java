package dev.infer4j.kernels.cpu.matmul;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector shapes shared by the matmul kernels. Everything follows the machine's preferred float vector
 * ({@code L} lanes: 16 with AVX-512, 8 with AVX2); narrower machines use 256-bit vectors, which the
 * Vector API still runs correctly. The byte, short and int species have the same lane count as the
 * float one, so one load of quants converts to exactly one float vector.
 */
final class Lanes {
    private Lanes() {
    }

    static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED.length() >= 8
            ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_256;
    /** Float lanes per vector. */
    static final int L = FLOATS.length();
    static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L));
    static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(16 * L));
    static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, VectorShape.forBitSize(32 * L));
    /** 2L bytes widened to 2L shorts (the float shape): the integer GEMV kernels' quants of L features x 2 inputs. */
    static final VectorSpecies<Byte> PAIR_BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(16 * L));
    static final VectorSpecies<Short> PAIR_SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(32 * L));

    /** Vectors across a panel: a panel is {@code NR = 3 L} output features wide. */
    static final int PANEL_VECTORS = 3;
    /** Output features per panel. */
    static final int NR = PANEL_VECTORS * L;
    /**
     * Rows of x per GEMM micro-kernel call: 8 x 3 accumulators fit AVX-512's 32 vector registers, AVX2's 16
     * registers hold only 4 x 3.
     */
    static final int MR = L >= 16 ? 8 : 4;

    static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final long VECTOR_BYTES = (long) L * Float.BYTES;
}
