package dev.infer4j.benchmarks.kernels;

import dev.infer4j.kernels.cpu.WorkerPool;
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
 * The machine's FMA peak as the Vector API reaches it: 12 independent accumulator chains of
 * {@code fma} on the preferred float species, nothing but registers. The reference for the GEMM's
 * "% of peak": {@code allCores} runs the loop on every thread of a {@link WorkerPool}, as the kernels do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class FmaPeakBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int STEPS = 1 << 16;
    /** 12 chains x lanes x 2 flops per fma x steps. */
    private static final double GFLOP_PER_LOOP = 12.0 * S.length() * 2 * STEPS / 1e9;

    private WorkerPool pool;
    private final float[] sink = new float[64];

    @Setup
    public void setUp() {
        pool = new WorkerPool(Runtime.getRuntime().availableProcessors());
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    static float fmaLoop(float seed) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f);
        FloatVector c = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, seed);
        FloatVector a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3), a4 = a0.add(4), a5 = a0.add(5);
        FloatVector a6 = a0.add(6), a7 = a0.add(7), a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10), a11 = a0.add(11);
        for (int i = 0; i < STEPS; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).add(a8.add(a9).add(a10.add(a11))).lane(0);
    }

    @Benchmark
    public float oneCore(Rates.Flops flops) {
        flops.gflops += GFLOP_PER_LOOP;
        return fmaLoop(1f);
    }

    @Benchmark
    public float allCores(Rates.Flops flops) {
        int threads = pool.threads();
        pool.parallelFor(threads, 1, (worker, from, to) -> sink[worker * 16] = fmaLoop(worker + 1f));
        flops.gflops += GFLOP_PER_LOOP * threads;
        return sink[0];
    }
}
