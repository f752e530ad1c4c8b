package dev.infer4j.kernels.cpu.matmul;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Off-heap memory for repacked weights: zeroed, page-aligned, freed when the weight becomes unreachable.
 *
 * <p>On Linux it comes straight from {@code mmap}, because {@link Arena#allocate} counts against the JVM's
 * direct-memory limit ({@code -XX:MaxDirectMemorySize}, by default the maximum heap size): a model larger than the
 * heap would fail to load under a small {@code -Xmx}, although its weights never touch the heap. Elsewhere it falls
 * back to an automatic arena.
 */
final class PanelMemory {
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;

    static {
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            mmap = libc.find("mmap").map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG))).orElse(null);
            munmap = libc.find("munmap").map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG))).orElse(null);
        }
        MMAP = munmap == null ? null : mmap;
        MUNMAP = munmap;
    }

    private PanelMemory() {
    }

    /** {@code bytes} of zeroed memory, aligned to at least 64 bytes. */
    static MemorySegment allocate(long bytes) {
        if (MMAP == null || bytes == 0) {
            return Arena.ofAuto().allocate(bytes, 64);
        }
        MemorySegment address;
        try {
            address = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap of " + bytes + " bytes failed", t);
        }
        if (address.address() == -1L) {
            throw new OutOfMemoryError("cannot map " + bytes + " bytes of memory for a weight matrix");
        }
        long start = address.address();
        return address.reinterpret(bytes, Arena.ofAuto(), segment -> unmap(start, bytes));
    }

    private static void unmap(long start, long bytes) {
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(start), bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }
}
