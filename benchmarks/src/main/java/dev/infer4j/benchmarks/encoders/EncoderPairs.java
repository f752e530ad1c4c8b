package dev.infer4j.benchmarks.encoders;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.infer4j.benchmarks.HarnessOptions;
import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.models.registry.EncoderModelFiles;
import dev.infer4j.models.registry.ModelRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end MiniLM embedding latency, infer4j against ONNX Runtime, in adjacent pairs: both engines are loaded in
 * one JVM and take turns, one timed block each (about a second), the order swapped from pair to pair, with a short
 * pause before each block so that neither engine's idle threads are still spinning. The host's memory bandwidth
 * moves by half within seconds here, which the JMH benchmark ({@link EncoderThroughputBenchmark}, one fork per
 * engine, ~20 s apart) cannot separate from the engines; a pair's blocks are a second apart. Prints per shape each
 * engine's median ms per batch and the median over pairs of infer4j / ONNX Runtime latency, with its range.
 *
 * <p>Usage: {@code EncoderPairs [--shapes 1x16,1x128,32x128,32x256] [--pairs 12] [--block-ms 1000]
 * [--threads 2] [--warmup-ms 6000]}; see benchmarks/README.md.
 */
public final class EncoderPairs {
    private EncoderPairs() {
    }

    private interface Batch {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = HarnessOptions.parse(args);
        List<String> shapes = List.of(o.getOrDefault("shapes", "1x16,1x128,32x128,32x256").split(","));
        int pairs = Integer.parseInt(o.getOrDefault("pairs", "12"));
        long blockMs = Long.parseLong(o.getOrDefault("block-ms", "1000"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        long warmupMs = Long.parseLong(o.getOrDefault("warmup-ms", "6000"));
        if (pairs < 1 || blockMs < 1 || threads < 1 || warmupMs < 0) {
            throw new IllegalArgumentException("need pairs, block-ms, threads >= 1 and warmup-ms >= 0");
        }
        Path onnx;
        Path tokenizerJson;
        try (EncoderModelFiles files = ModelRegistry.userDefault().openEncoder("all-minilm-l6-v2")) {
            onnx = files.weights().file();
            tokenizerJson = files.tokenizerJson();
        }
        List<String> rows = new ArrayList<>();
        try (EmbeddingModel infer4j = Infer4j.embeddingModel("all-minilm-l6-v2", threads);
             OrtSentenceEmbedder ort = new OrtSentenceEmbedder(OrtSentenceEmbedder.tokenizer(tokenizerJson), onnx, threads);
             HuggingFaceTokenizer counter = OrtSentenceEmbedder.tokenizer(tokenizerJson)) {
            for (String shape : shapes) {
                String[] parts = shape.split("x");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("a shape is BATCHxTOKENS, got " + shape);
                }
                List<String> texts = BenchmarkTexts.exactly(counter, Integer.parseInt(parts[0]),
                        Integer.parseInt(parts[1]), 42);
                Batch ours = () -> infer4j.embed(texts, EmbedOptions.DEFAULT);
                Batch theirs = () -> ort.embed(texts);
                for (int i = 0; i < 2; i++) {
                    msPerBatch(ours, warmupMs / 2);
                    msPerBatch(theirs, warmupMs / 2);
                }
                double[] ourMs = new double[pairs];
                double[] ortMs = new double[pairs];
                double[] ratios = new double[pairs];
                for (int p = 0; p < pairs; p++) {
                    if (p % 2 == 0) {
                        ourMs[p] = msPerBatch(ours, blockMs);
                        ortMs[p] = msPerBatch(theirs, blockMs);
                    } else {
                        ortMs[p] = msPerBatch(theirs, blockMs);
                        ourMs[p] = msPerBatch(ours, blockMs);
                    }
                    ratios[p] = ourMs[p] / ortMs[p];
                    System.err.printf(Locale.ROOT, "%s pair %d: infer4j %.3f ms, ONNX Runtime %.3f ms, ratio %.3f%n",
                            shape, p + 1, ourMs[p], ortMs[p], ratios[p]);
                }
                Arrays.sort(ratios);
                rows.add(String.format(Locale.ROOT, "| %s | %.3f | %.3f | **%.2f** (%.2f-%.2f) | %.2f |", shape,
                        median(ourMs), median(ortMs), median(ratios), ratios[0], ratios[pairs - 1], 1 / median(ratios)));
            }
        }
        System.out.printf(Locale.ROOT, "%nall-MiniLM-L6-v2 end to end, %d threads, %d pairs of %d ms blocks (medians)%n%n",
                threads, pairs, blockMs);
        System.out.println("| batch x tokens | infer4j ms | ONNX Runtime ms | latency infer4j / ORT (range) | throughput infer4j / ORT |");
        System.out.println("|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    /** Mean ms per batch over a block of about {@code ms} (at least 3 batches), after a 100 ms pause. */
    private static double msPerBatch(Batch batch, long ms) throws Exception {
        Thread.sleep(100);
        long start = System.nanoTime();
        long end = start + ms * 1_000_000L;
        int n = 0;
        long now;
        do {
            batch.run();
            n++;
            now = System.nanoTime();
        } while (now < end || n < 3);
        return (now - start) / 1e6 / n;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
