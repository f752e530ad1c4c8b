package dev.infer4j.benchmarks.tornadovm;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * One backend operation per invocation, on the CPU and the TornadoVM backend in the same run (compare the
 * {@code backend} rows), at Llama-3.2-1B sizes: the 2048×2048 projection as GEMV in F32, Q8_0 and Q4_0 and as a
 * 32-token GEMM in Q8_0; one decode token's attention over 1024 cached keys (32 query heads, 8 KV heads of 64);
 * an RMSNorm of a 2048-wide row. Each TornadoVM call launches its kernel and waits for it, so the figures
 * include the launch overhead a model pays per operation. Forks inherit the JVM flags of the JMH process,
 * so start it with the TornadoVM argfile (see README.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OpsBenchmark {
    @Param({"cpu", "tornadovm"})
    public String backend;

    @Param({"gemv-f32", "gemv-q8_0", "gemv-q4_0", "gemm32-q8_0", "attention-decode", "rmsnorm"})
    public String op;

    private static final int DIM = 2048;
    private static final int CONTEXT = 1024;

    private Arena arena;
    private Backend b;
    private Weight weight;
    private Tensor x;
    private Tensor out;
    private Tensor keys;
    private Tensor norm;
    private AttentionSpec spec;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        b = Backends.create(backend, Runtime.getRuntime().availableProcessors());
        SplittableRandom random = new SplittableRandom(5);
        int rows = op.startsWith("gemm32") ? 32 : 1;
        switch (op) {
            case "gemv-f32", "gemv-q8_0", "gemv-q4_0", "gemm32-q8_0" -> {
                DType dtype = op.endsWith("f32") ? DType.F32 : op.endsWith("q4_0") ? DType.Q4_0 : DType.Q8_0;
                weight = b.prepareWeight(ShapeModels.matrix(arena, random, dtype, DIM, DIM), WeightLayout.OUT_IN);
                x = filled(random, rows, DIM);
                out = b.allocate(DType.F32, rows, DIM);
            }
            case "attention-decode" -> {
                x = filled(random, 1, DIM);
                keys = filled(random, 1, CONTEXT, 512);
                out = b.allocate(DType.F32, 1, DIM);
                spec = new AttentionSpec(32, 8, 64, 0.125f, true, 1, 1, CONTEXT, new int[] {CONTEXT});
            }
            case "rmsnorm" -> {
                x = filled(random, 1, DIM);
                out = b.allocate(DType.F32, 1, DIM);
                norm = ShapeModels.matrix(arena, random, DType.F32, 1, DIM).reshape(DIM);
            }
            default -> throw new IllegalArgumentException(op);
        }
        run(); // the first TornadoVM launch JIT-compiles the kernel
    }

    private Tensor filled(SplittableRandom random, long... shape) {
        Tensor t = b.allocate(DType.F32, shape);
        float[] v = new float[Math.toIntExact(t.elementCount())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        b.write(t, 0, v, 0, v.length);
        return t;
    }

    @Benchmark
    public void run() {
        switch (op) {
            case "attention-decode" -> b.attention(x, keys, keys, out, spec);
            case "rmsnorm" -> b.rmsNorm(x, norm, 1e-5f, out);
            default -> b.matmul(x, weight, null, out);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        b.close();
        arena.close();
    }
}
