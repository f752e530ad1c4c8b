package dev.infer4j.benchmarks.ops;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import java.lang.foreign.Arena;
import java.util.Random;
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
 * Row-wise CPU ops against scalar loops on the same data: {@code rows × cols} of
 * 4096 × 384 (a BERT-small batch), 1 × 4096 (one decoder token) and 512 × 4096 (a prompt).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class NormsBenchmark {
    @Param({"4096x384", "1x4096", "512x4096"})
    public String shape;

    @Param({"1"})
    public int threads;

    private Backend backend;
    private Arena arena;
    private Tensor x;
    private Tensor out;
    private Tensor weight;
    private Tensor bias;
    private float[] xa;
    private float[] outa;
    private float[] wa;
    private float[] ba;
    private int rows;
    private int cols;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x");
        rows = Integer.parseInt(parts[0]);
        cols = Integer.parseInt(parts[1]);
        backend = Backends.create("cpu", threads);
        arena = Arena.ofShared();
        Random r = new Random(7);
        xa = new float[rows * cols];
        for (int i = 0; i < xa.length; i++) {
            xa[i] = (float) r.nextGaussian();
        }
        outa = new float[xa.length];
        wa = new float[cols];
        ba = new float[cols];
        for (int i = 0; i < cols; i++) {
            wa[i] = 1 + 0.1f * (float) r.nextGaussian();
            ba[i] = 0.1f * (float) r.nextGaussian();
        }
        x = backend.allocate(DType.F32, rows, cols);
        backend.write(x, 0, xa, 0, xa.length);
        out = backend.allocate(DType.F32, rows, cols);
        weight = Tensor.ofFloats(arena, wa, cols);
        bias = Tensor.ofFloats(arena, ba, cols);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
        arena.close();
    }

    @Benchmark
    public Tensor rmsNorm() {
        backend.rmsNorm(x, weight, 1e-5f, out);
        return out;
    }

    @Benchmark
    public float[] rmsNormScalar() {
        ScalarReference.rmsNorm(xa, wa, 1e-5f, outa, rows, cols);
        return outa;
    }

    @Benchmark
    public Tensor layerNorm() {
        backend.layerNorm(x, weight, bias, 1e-12f, out);
        return out;
    }

    @Benchmark
    public float[] layerNormScalar() {
        ScalarReference.layerNorm(xa, wa, ba, 1e-12f, outa, rows, cols);
        return outa;
    }

    /** Softmax of the copied input: the copy is part of both figures. */
    @Benchmark
    public Tensor softmax() {
        backend.copyRows(x, 0, out, 0, rows);
        backend.softmax(out);
        return out;
    }

    @Benchmark
    public float[] softmaxScalar() {
        System.arraycopy(xa, 0, outa, 0, xa.length);
        ScalarReference.softmax(outa, rows, cols);
        return outa;
    }

    @Benchmark
    public Tensor geluTanh() {
        backend.geluTanh(x, out);
        return out;
    }

    @Benchmark
    public Tensor geluExact() {
        backend.gelu(x, out);
        return out;
    }

    @Benchmark
    public float[] geluTanhScalar() {
        ScalarReference.gelu(xa, outa);
        return outa;
    }
}
