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
 * Prefill / encoder matmul, {@code n x k · k x m}: a MiniLM FFN on a 32-token chunk (32x384x1536) and a
 * TinyLlama FFN on a 128-token prompt (128x2048x5632). F32 weights in both layouts (IN_OUT is how ONNX
 * stores them), and Q8_0 / Q4_0 weights, which the GEMM unpacks into F32 panels block by block.
 * {@code gflops} is {@code 2 n k m} per call per second; compare with {@link FmaPeakBenchmark#allCores}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class GemmBenchmark {

    @Param({"32x384x1536", "128x2048x5632"})
    public String shape;

    @Param({"F32:OUT_IN", "F32:IN_OUT", "Q8_0:OUT_IN", "Q4_0:OUT_IN"})
    public String weight;

    /** Worker threads; 0 means one per available processor. */
    @Param({"0"})
    public int threads;

    private Arena arena;
    private WorkerPool pool;
    private Weight w;
    private Tensor x;
    private Tensor out;
    private double gflopPerCall;

    @Setup
    public void setUp() {
        String[] dims = shape.split("x");
        int n = Integer.parseInt(dims[0]);
        int k = Integer.parseInt(dims[1]);
        int m = Integer.parseInt(dims[2]);
        String[] spec = weight.split(":");
        DType type = DType.valueOf(spec[0]);
        WeightLayout layout = WeightLayout.valueOf(spec[1]);
        arena = Arena.ofShared();
        pool = new WorkerPool(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        try (Arena source = Arena.ofShared()) { // not confined: see GemvBenchmark.setUp
            Tensor t = layout == WeightLayout.OUT_IN
                    ? BenchWeights.random(source, type, m, k, 1) : BenchWeights.random(source, type, k, m, 1);
            w = CpuMatmul.prepare(t, layout);
        }
        x = BenchWeights.random(arena, DType.F32, n, k, 2);
        out = Tensor.allocate(arena, DType.F32, n, m);
        gflopPerCall = 2.0 * n * k * m / 1e9;
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public void gemm(Rates.Flops rate) {
        CpuMatmul.matmul(pool, x, w, null, out);
        rate.gflops += gflopPerCall;
    }
}
