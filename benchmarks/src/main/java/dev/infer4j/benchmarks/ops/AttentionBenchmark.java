package dev.infer4j.benchmarks.ops;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
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
 * CPU attention against a scalar baseline on the same inputs.
 * <ul>
 *   <li>{@code bert}: encoder batch of 32 sequences × 128 tokens, 12 heads of 32 (all-MiniLM-L6 shapes), no mask;</li>
 *   <li>{@code decode}: one Llama-3.2-1B-shaped token (32 query heads, 8 KV heads of 64) over a 2048-token cache;</li>
 *   <li>{@code prefill}: 256 causal queries over the same heads (prompt processing).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AttentionBenchmark {
    @Param({"bert", "decode", "prefill"})
    public String shape;

    @Param({"1"})
    public int threads;

    private Backend backend;
    private Tensor q;
    private Tensor k;
    private Tensor v;
    private Tensor out;
    private AttentionSpec spec;
    private float[] qa;
    private float[] ka;
    private float[] va;
    private float[] outa;
    private float[] scores;
    private int length;

    @Setup(Level.Trial)
    public void setUp() {
        int batch;
        int lq;
        int cap;
        int heads;
        int kvHeads;
        int d;
        boolean causal;
        switch (shape) {
            case "bert" -> {
                batch = 32; lq = 128; cap = 128; heads = 12; kvHeads = 12; d = 32; causal = false;
            }
            case "decode" -> {
                batch = 1; lq = 1; cap = 2048; heads = 32; kvHeads = 8; d = 64; causal = true;
            }
            case "prefill" -> {
                batch = 1; lq = 256; cap = 256; heads = 32; kvHeads = 8; d = 64; causal = true;
            }
            default -> throw new IllegalArgumentException(shape);
        }
        length = cap;
        int[] lengths = new int[batch];
        java.util.Arrays.fill(lengths, length);
        spec = new AttentionSpec(heads, kvHeads, d, (float) (1 / Math.sqrt(d)), causal, batch, lq, cap, lengths);
        backend = Backends.create("cpu", threads);
        Random r = new Random(42);
        qa = random(r, batch * lq * heads * d);
        ka = random(r, batch * cap * kvHeads * d);
        va = random(r, batch * cap * kvHeads * d);
        outa = new float[qa.length];
        scores = new float[cap];
        q = upload(qa, batch * lq, heads * d);
        k = upload(ka, batch, cap, kvHeads * d);
        v = upload(va, batch, cap, kvHeads * d);
        out = backend.allocate(DType.F32, batch * lq, heads * d);
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private Tensor upload(float[] a, long... shape) {
        Tensor t = backend.allocate(DType.F32, shape);
        backend.write(t, 0, a, 0, a.length);
        return t;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public Tensor cpuBackend() {
        backend.attention(q, k, v, out, spec);
        return out;
    }

    @Benchmark
    public float[] scalarBaseline() {
        ScalarReference.attention(qa, ka, va, outa, scores, spec.batch(), spec.queryLength(), spec.keyCapacity(),
                length, spec.heads(), spec.kvHeads(), spec.headDim(), spec.scale(), spec.causal());
        return outa;
    }
}
