package dev.infer4j.benchmarks.kernels;

import dev.infer4j.kernels.cpu.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Main-memory read bandwidth: every thread of a {@link WorkerPool} sums its share of a 512 MiB off-heap
 * buffer (16 times the L3 cache) with vector loads; {@code readOneCore} does it on the calling thread alone.
 * The reference for the GEMV's "% of bandwidth".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MemoryReadBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final long BYTES = 512L << 20;
    /** Bytes per work chunk handed to a thread. */
    private static final long CHUNK = 4L << 20;

    private Arena arena;
    private MemorySegment buffer;
    private WorkerPool pool;
    private final float[] sink = new float[64];

    @Setup
    public void setUp() {
        arena = Arena.ofShared();
        buffer = arena.allocate(BYTES, 64);
        for (long i = 0; i < BYTES; i += 4096) {
            buffer.set(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, i);
        }
        pool = new WorkerPool(Runtime.getRuntime().availableProcessors());
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }

    static float sum(MemorySegment seg, long from, long to) {
        long step = S.vectorByteSize();
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        for (long at = from; at < to; at += 4 * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(S, seg, at, ByteOrder.nativeOrder()));
            a1 = a1.add(FloatVector.fromMemorySegment(S, seg, at + step, ByteOrder.nativeOrder()));
            a2 = a2.add(FloatVector.fromMemorySegment(S, seg, at + 2 * step, ByteOrder.nativeOrder()));
            a3 = a3.add(FloatVector.fromMemorySegment(S, seg, at + 3 * step, ByteOrder.nativeOrder()));
        }
        return a0.add(a1).add(a2.add(a3)).lane(0);
    }

    @Benchmark
    public float readOneCore(Rates.Bytes bytes) {
        float s = sum(buffer, 0, BYTES);
        bytes.gbytes += BYTES / 1e9;
        return s;
    }

    @Benchmark
    public float readAllCores(Rates.Bytes bytes) {
        pool.parallelFor((int) (BYTES / CHUNK), 1, (worker, from, to) -> {
            float s = 0;
            for (int c = from; c < to; c++) {
                s += sum(buffer, c * CHUNK, (c + 1) * CHUNK);
            }
            sink[worker * 16] += s;
        });
        bytes.gbytes += BYTES / 1e9;
        return sink[0];
    }
}
