package dev.infer4j.benchmarks.encoders;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.models.registry.EncoderModelFiles;
import dev.infer4j.models.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    private OrtSentenceEmbedder ort;
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
        HuggingFaceTokenizer tokenizer = OrtSentenceEmbedder.tokenizer(tokenizerJson);
        texts = BenchmarkTexts.exactly(tokenizer, batch, tokens, 42);
        modelFileMiB = Files.size(onnx) >> 20;
        if (engine.equals("infer4j")) {
            tokenizer.close();
            rssBeforeLoadMiB = procStatusMiB("VmRSS:");
            infer4j = Infer4j.embeddingModel("all-minilm-l6-v2", THREADS);
        } else {
            OrtEnvironment.getEnvironment(); // ONNX Runtime's native library is not the model's memory
            rssBeforeLoadMiB = procStatusMiB("VmRSS:");
            ort = new OrtSentenceEmbedder(tokenizer, onnx, THREADS);
        }
    }

    @Benchmark
    public float[][] embedBatch() throws OrtException {
        return infer4j != null ? infer4j.embed(texts, EmbedOptions.DEFAULT).vectors() : ort.embed(texts);
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
        if (ort != null) {
            ort.close();
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
