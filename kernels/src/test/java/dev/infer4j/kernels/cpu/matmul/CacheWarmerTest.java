package dev.infer4j.kernels.cpu.matmul;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link CacheWarmer} reads exactly the lines it is given (its sink gets their OR) and skips spans over its limit. */
class CacheWarmerTest {

    @Test
    void sinkHoldsTheOrOfTheFirstVectorOfEveryLine() {
        try (Arena arena = Arena.ofConfined()) {
            int lines = 37;
            long from = 192;
            MemorySegment segment = arena.allocate(from + lines * 64L + 64, 64);
            Random random = new Random(7);
            for (long i = 0; i < segment.byteSize(); i++) {
                segment.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
            }
            MemorySegment sink = arena.allocate(Lanes.VECTOR_BYTES, 64);
            CacheWarmer.warm(segment, from, lines * 64L, sink);
            for (int lane = 0; lane < Lanes.L; lane++) {
                int expected = 0;
                for (int line = 0; line < lines; line++) {
                    expected |= segment.get(ValueLayout.JAVA_INT_UNALIGNED, from + line * 64L + lane * 4L);
                }
                assertEquals(expected, sink.get(ValueLayout.JAVA_INT_UNALIGNED, lane * 4L), "lane " + lane);
            }
        }
    }

    @Test
    void spansOverTheLimitAreLeftAlone() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(CacheWarmer.LIMIT + 64, 64);
            segment.fill((byte) 0x5A);
            MemorySegment sink = arena.allocate(Lanes.VECTOR_BYTES, 64);
            CacheWarmer.warm(segment, 0, CacheWarmer.LIMIT + 64, sink);
            for (int lane = 0; lane < Lanes.L; lane++) {
                assertEquals(0, sink.get(ValueLayout.JAVA_INT_UNALIGNED, lane * 4L), "lane " + lane);
            }
        }
    }
}
