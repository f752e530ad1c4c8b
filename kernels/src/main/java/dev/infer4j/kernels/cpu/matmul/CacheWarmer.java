package dev.infer4j.kernels.cpu.matmul;

import static dev.infer4j.kernels.cpu.matmul.Lanes.INTS;
import static dev.infer4j.kernels.cpu.matmul.Lanes.NATIVE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;

/**
 * Pulls a weight panel from DRAM into the cache with a lean read loop before a compute-heavy GEMV kernel reads it.
 *
 * <p>The integer GEMV kernels (Q4_0, Q4_K, Q6_K) spend about 30 instructions per 64-byte line, so reading DRAM
 * themselves they keep few lines in flight, and how few depended on the JIT-compiled copy of the kernel: one
 * Q4_0 5632x2048 GEMV streamed 8-18 GB/s on one thread and 17-35 GB/s on two from JVM to JVM (the same code at
 * the same alignment; two class loaders in one JVM reproduced it). A loop of one load per line streams at DRAM
 * speed (44 GB/s on one thread here), after which the kernel runs at its cache-resident rate: Q4_0 15-16 GB/s on
 * one thread and 26-28 GB/s on two in every JVM, Q6_K +10-15 %. There is no prefetch instruction in Java; this is
 * the next best thing.
 */
final class CacheWarmer {
    private CacheWarmer() {
    }

    /** Largest span warmed at once: half of a 1 MiB L2 cache, so that the kernel finds all of it there. */
    static final long LIMIT = 512 * 1024;

    /**
     * Reads {@code bytes} of {@code segment} from {@code from}, one vector per 64-byte line, if they are at most
     * {@link #LIMIT}. The lines' OR goes to the first vector of {@code sink}, which the caller then overwrites: a
     * store keeps the loads from being dead code.
     */
    static void warm(MemorySegment segment, long from, long bytes, MemorySegment sink) {
        if (bytes > LIMIT) {
            return;
        }
        IntVector acc = IntVector.zero(INTS);
        for (long i = 0; i < bytes; i += 64) {
            acc = acc.or(IntVector.fromMemorySegment(INTS, segment, from + i, NATIVE));
        }
        acc.intoMemorySegment(sink, 0, NATIVE);
    }
}
