package dev.infer4j.benchmarks.encoders;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.models.registry.EncoderModelFiles;
import dev.infer4j.models.registry.ModelRegistry;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * End-to-end sentence embedding (tokenize, encode, mean-pool, normalise) of all-MiniLM-L6-v2, infer4j
 * against ONNX Runtime on the same ONNX file and texts, 2 threads each. One operation embeds one batch;
 * sentences/s = batch × ops/s. Each engine runs in its own fork, so the peak RSS printed at the end of
 * a fork is that engine's alone.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EncoderThroughputBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC", "-Xmx256m", "-Xmn16m"})
public class EncoderThroughputBenchmark {
    private static final int THREADS = 2;

    /** batch × tokens per text (special tokens included). */
    @Param({"1x16", "1x128", "32x128", "32x256"})
    public String shape;

    @Param({"infer4j", "onnxruntime"})
    public String engine;

    private List<String> texts;
    private EmbeddingModel infer4j;
    private OrtEnvironment env;
    private OrtSession session;
    private HuggingFaceTokenizer tokenizer;
    private long rssBeforeLoadMiB;
    private long modelFileMiB;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String[] parts = shape.split("x");
        int batch = Integer.parseInt(parts[0]);
        int tokens = Integer.parseInt(parts[1]);
        Path onnx;
        Path tokenizerJson;
        try (EncoderModelFiles files = ModelRegistry.userDefault().openEncoder("all-minilm-l6-v2")) {
            onnx = files.weights().file();
            tokenizerJson = files.tokenizerJson();
        }
        tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                .optTruncation(true).optMaxLength(256).optPadding(false).build();
        texts = BenchmarkTexts.exactly(tokenizer, batch, tokens, 42);
        modelFileMiB = Files.size(onnx) >> 20;
        if (engine.equals("infer4j")) {
            tokenizer.close();
            tokenizer = null;
            rssBeforeLoadMiB = procStatusMiB("VmRSS:");
            infer4j = Infer4j.embeddingModel("all-minilm-l6-v2", THREADS);
        } else {
            env = OrtEnvironment.getEnvironment();
            rssBeforeLoadMiB = procStatusMiB("VmRSS:");
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(THREADS);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(onnx.toString(), options);
        }
    }

    @Benchmark
    public float[][] embedBatch() throws OrtException {
        return infer4j != null ? infer4j.embed(texts, EmbedOptions.DEFAULT).vectors() : ortEmbed();
    }

    /** What a Java user of ONNX Runtime writes: HF tokenizer, one padded batch, masked mean pooling, L2. */
    private float[][] ortEmbed() throws OrtException {
        int batch = texts.size();
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int longest = 0;
        for (Encoding e : encodings) {
            longest = Math.max(longest, e.getIds().length);
        }
        long[] ids = new long[batch * longest];
        long[] mask = new long[batch * longest];
        long[] types = new long[batch * longest];
        for (int b = 0; b < batch; b++) {
            long[] e = encodings[b].getIds();
            System.arraycopy(e, 0, ids, b * longest, e.length);
            java.util.Arrays.fill(mask, b * longest, b * longest + e.length, 1L);
        }
        long[] shapeOf = {batch, longest};
        try (OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shapeOf);
             OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shapeOf);
             OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shapeOf);
             OrtSession.Result r = session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t))) {
            // pool straight from ORT's output buffer (cheaper than its float[][][] conversion)
            java.nio.FloatBuffer states = ((OnnxTensor) r.get(0)).getFloatBuffer();
            int width = (int) (states.capacity() / ((long) batch * longest));
            float[][] out = new float[batch][];
            for (int b = 0; b < batch; b++) {
                int n = encodings[b].getIds().length;
                float[] v = new float[width];
                for (int k = 0; k < n; k++) {
                    int row = (b * longest + k) * width;
                    for (int d = 0; d < width; d++) {
                        v[d] += states.get(row + d);
                    }
                }
                double sum = 0;
                for (int d = 0; d < v.length; d++) {
                    v[d] /= n;
                    sum += (double) v[d] * v[d];
                }
                float inv = (float) (1 / Math.max(Math.sqrt(sum), 1e-12));
                for (int d = 0; d < v.length; d++) {
                    v[d] *= inv;
                }
                out[b] = v;
            }
            return out;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.println();
        long peak = procStatusMiB("VmHWM:");
        // the growth from just before the model loads is what the model costs (mapped weights + activations)
        System.out.println("peak RSS of this fork (" + engine + ", " + shape + "): " + peak + " MiB; before loading "
                + "the model: " + rssBeforeLoadMiB + " MiB; growth " + (peak - rssBeforeLoadMiB) + " MiB = "
                + String.format(java.util.Locale.ROOT, "%.2f", (peak - rssBeforeLoadMiB) / (double) modelFileMiB)
                + "x the " + modelFileMiB + " MiB model file");
        if (infer4j != null) {
            infer4j.close();
        }
        if (session != null) {
            session.close();
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    /** A field of /proc/self/status ({@code VmHWM:} peak RSS, {@code VmRSS:} RSS now), in MiB (-1 where unavailable). */
    static long procStatusMiB(String field) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
