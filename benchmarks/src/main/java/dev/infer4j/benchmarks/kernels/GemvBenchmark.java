package dev.infer4j.benchmarks.kernels;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.kernels.cpu.WorkerPool;
import dev.infer4j.kernels.cpu.matmul.CpuMatmul;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode-time matmul (one token) at TinyLlama-1.1B sizes, {@code out x in}: FFN gate/up (5632 x 2048),
 * FFN down (2048 x 5632), output head (32000 x 2048). {@code gbytes} counts the weight's bytes in its
 * file format streamed per second; compare with {@link MemoryReadBenchmark}. The benchmark cycles over
 * enough prepared copies of the weight (at least 256 MiB in all) that none stays in the 32 MiB L3.
 * {@code rows} > 1 is a batched decode step (one row per sequence): up to 16 rows of Q4_0, Q8_0 and Q6_K run the
 * small-batch kernels, more rows (and other formats) the GEMM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class GemvBenchmark {
    private static final long WORKING_SET = 256L << 20;

    @Param({"F32", "F16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    public DType dtype;

    @Param({"5632x2048", "2048x5632", "32000x2048"})
    public String shape;

    /**
     * One prepared copy only, so a weight of up to a few MiB is served by the L3 (or L2) cache: the kernel's
     * compute rate rather than DRAM streaming (its "% of limit" then exceeds 100).
     */
    @Param({"false"})
    public boolean cached;

    /** Worker threads; 0 means one per available processor. */
    @Param({"0"})
    public int threads;

    /** Rows of x (sequences decoded together). */
    @Param({"1"})
    public int rows;

    private Arena arena;
    private WorkerPool pool;
    private Weight[] weights;
    private Tensor x;
    private Tensor out;
    private double gbPerCall;
    private int next;

    @Setup
    public void setUp() {
        String[] dims = shape.split("x");
        int m = Integer.parseInt(dims[0]);
        int k = Integer.parseInt(dims[1]);
        arena = Arena.ofShared();
        pool = new WorkerPool(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        long bytes = dtype.byteSize((long) m * k);
        gbPerCall = bytes / 1e9;
        int copies = cached ? 1 : (int) Math.max(1, (WORKING_SET + bytes - 1) / bytes);
        weights = new Weight[copies];
        for (int i = 0; i < copies; i++) {
            // repacked formats no longer need their source; Q4_K / Q6_K are read in place and keep it. A shared
            // arena, not a confined one: one access to confined memory makes every later JIT-compiled kernel check
            // the owning thread on each load (see benchmarks/README.md, 30 % slower from DRAM)
            Arena source = dtype == DType.Q4_K || dtype == DType.Q6_K ? arena : Arena.ofShared();
            weights[i] = CpuMatmul.prepare(BenchWeights.random(source, dtype, m, k, i), WeightLayout.OUT_IN);
            if (source != arena) {
                source.close();
            }
        }
        x = BenchWeights.random(arena, DType.F32, rows, k, 99);
        out = Tensor.allocate(arena, DType.F32, rows, m);
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public void gemv(Rates.Bytes rate) {
        Weight w = weights[next];
        next = next + 1 == weights.length ? 0 : next + 1;
        CpuMatmul.matmul(pool, x, w, null, out);
        rate.gbytes += gbPerCall;
    }
}
