package dev.infer4j.kernels.cpu.matmul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PanelMemoryTest {
    private static final long BYTES = 64L << 20;

    @Test
    void memoryIsZeroedAlignedAndWritable() {
        MemorySegment m = PanelMemory.allocate(BYTES + 3);
        assertEquals(BYTES + 3, m.byteSize());
        assertEquals(0, m.address() % 64);
        for (long at = 0; at < m.byteSize(); at += 4093) {
            assertEquals(0, m.get(ValueLayout.JAVA_BYTE, at), "byte " + at);
        }
        m.set(ValueLayout.JAVA_BYTE, BYTES + 2, (byte) 7);
        assertEquals(7, m.get(ValueLayout.JAVA_BYTE, BYTES + 2));
    }

    /** Allocates 64 MiB with {@code args[0]}: "panel" ({@link PanelMemory}) or "arena" ({@link Arena}). */
    public static void main(String[] args) {
        MemorySegment m = args[0].equals("panel") ? PanelMemory.allocate(BYTES) : Arena.ofAuto().allocate(BYTES, 64);
        m.set(ValueLayout.JAVA_BYTE, BYTES - 1, (byte) 1);
        System.out.println("allocated " + m.byteSize());
    }

    private static int runWithDirectLimit(String kind) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxDirectMemorySize=16m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), PanelMemoryTest.class.getName(), kind)
                .redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        return p.exitValue();
    }

    @Test
    void weightsDoNotCountAgainstTheDirectMemoryLimit() throws Exception {
        assertEquals(0, runWithDirectLimit("panel"), "64 MiB of panel memory under a 16 MiB direct-memory limit");
        // the contrast that makes the test meaningful: the same allocation from an arena is refused
        assertNotEquals(0, runWithDirectLimit("arena"), "an arena allocation should exceed the direct-memory limit");
    }
}
