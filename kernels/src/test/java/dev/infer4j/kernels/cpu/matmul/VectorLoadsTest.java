package dev.infer4j.kernels.cpu.matmul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The vector half-precision loads against the JDK's scalar conversions, on every 16-bit pattern. */
class VectorLoadsTest {

    /** How a conversion under test turns the L halves at a byte offset of a segment into floats. */
    @FunctionalInterface
    private interface HalfLoad {
        void load(MemorySegment halves, long offset, float[] into);
    }

    /** Calls {@code check(pattern, converted)} for each of the 65,536 16-bit patterns. */
    private static void everyPattern(HalfLoad conversion, java.util.function.BiConsumer<Integer, Float> check) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment halves = arena.allocate(65536L * Short.BYTES, 64);
            for (int h = 0; h < 65536; h++) {
                halves.setAtIndex(ValueLayout.JAVA_SHORT, h, (short) h);
            }
            float[] got = new float[Lanes.L];
            for (int h0 = 0; h0 < 65536; h0 += Lanes.L) {
                conversion.load(halves, (long) h0 * Short.BYTES, got);
                for (int i = 0; i < Lanes.L; i++) {
                    check.accept(h0 + i, got[i]);
                }
            }
        }
    }

    @Test
    void f16MatchesFloat16ToFloatOnEveryPattern() {
        everyPattern((s, at, into) -> VectorLoads.f16(s, at).intoArray(into, 0), (h, got) -> {
            float want = Float.float16ToFloat(h.shortValue());
            String what = String.format("half 0x%04x", h);
            if (Float.isNaN(want)) {
                assertTrue(Float.isNaN(got), what + " is NaN, got " + got);
            } else {
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got),
                        what + ": want " + want + ", got " + got);
            }
        });
    }

    @Test
    void bf16IsTheHighHalfOfAFloat() {
        everyPattern((s, at, into) -> VectorLoads.bf16(s, at).intoArray(into, 0),
                (h, got) -> assertEquals(h << 16, Float.floatToRawIntBits(got), String.format("bf16 0x%04x", h)));
    }
}
