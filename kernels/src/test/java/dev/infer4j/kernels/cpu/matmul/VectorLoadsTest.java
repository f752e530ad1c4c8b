package dev.infer4j.kernels.cpu.matmul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The vector half-precision loads against the JDK's scalar conversions, on every 16-bit pattern. */
class VectorLoadsTest {

    @Test
    void f16MatchesFloat16ToFloatOnEveryPattern() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment halves = arena.allocate(65536L * Short.BYTES, 64);
            for (int h = 0; h < 65536; h++) {
                halves.setAtIndex(ValueLayout.JAVA_SHORT, h, (short) h);
            }
            float[] got = new float[Lanes.L];
            for (int h0 = 0; h0 < 65536; h0 += Lanes.L) {
                VectorLoads.f16(halves, (long) h0 * Short.BYTES).intoArray(got, 0);
                for (int i = 0; i < Lanes.L; i++) {
                    float want = Float.float16ToFloat((short) (h0 + i));
                    String what = String.format("half 0x%04x", h0 + i);
                    if (Float.isNaN(want)) {
                        assertTrue(Float.isNaN(got[i]), what + " is NaN, got " + got[i]);
                    } else {
                        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]),
                                what + ": want " + want + ", got " + got[i]);
                    }
                }
            }
        }
    }

    @Test
    void bf16IsTheHighHalfOfAFloat() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment halves = arena.allocate(65536L * Short.BYTES, 64);
            for (int h = 0; h < 65536; h++) {
                halves.setAtIndex(ValueLayout.JAVA_SHORT, h, (short) h);
            }
            float[] got = new float[Lanes.L];
            for (int h0 = 0; h0 < 65536; h0 += Lanes.L) {
                VectorLoads.bf16(halves, (long) h0 * Short.BYTES).intoArray(got, 0);
                for (int i = 0; i < Lanes.L; i++) {
                    assertEquals((h0 + i) << 16, Float.floatToRawIntBits(got[i]), String.format("bf16 0x%04x", h0 + i));
                }
            }
        }
    }
}
