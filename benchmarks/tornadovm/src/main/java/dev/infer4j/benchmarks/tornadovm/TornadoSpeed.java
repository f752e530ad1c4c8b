package dev.infer4j.benchmarks.tornadovm;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.bert.BertConfig;
import dev.infer4j.models.bert.BertEncoder;
import dev.infer4j.models.bert.BertWeights;
import dev.infer4j.models.bert.PackedBatch;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.llama.ForwardBatch;
import dev.infer4j.models.llama.KvCache;
import dev.infer4j.models.llama.LlamaModel;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * End-to-end speed of the backends in one run, so that figures come with their ratio to the CPU backend:
 * Llama-shaped decoding ({@code pp}: one forward pass of {@code pp} tokens; {@code tg}: {@code tg} single-token
 * steps reading the logits each time; batched decode: one token for each of {@code B} sequences per step) and
 * BERT embeddings (a batch of {@code S} sequences × {@code L} tokens, mean-pooled, normalised, read back).
 * Models are random-weight files of real shapes made on the spot ({@link ShapeModels}). Each figure is the
 * median of {@code reps} timed runs after an untimed warm-up of {@code warmup=10} seconds (so that the JVM has compiled
 * the CPU kernels and TornadoVM its kernels).
 *
 * <p>Arguments, all {@code key=value} and optional: {@code backends=cpu,tornadovm}, {@code llama=llama-small}
 * (or {@code llama-3.2-1b}, or {@code none}), {@code dtypes=Q8_0} (F16, Q8_0, Q4_0), {@code pp=64}, {@code tg=16},
 * {@code batch=1,8} with {@code batchSteps=8} steps each, {@code bert=8x128} (or {@code none}), {@code reps=3}, {@code threads=}cores,
 * {@code bandwidth=}GB/s of the device (prints tg as a share of the memory-bandwidth roof),
 * {@code dir=}where to keep the generated models.
 */
public final class TornadoSpeed {
    private final Map<String, String> args;
    private final Map<String, Double> results = new LinkedHashMap<>();

    private TornadoSpeed(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                System.err.println("arguments are key=value; see the class comment");
                System.exit(2);
            }
            args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        new TornadoSpeed(args).run();
    }

    private String arg(String key, String fallback) {
        return args.getOrDefault(key, fallback);
    }

    private void run() throws Exception {
        List<String> backends = List.of(arg("backends", "cpu,tornadovm").split(","));
        int threads = Integer.parseInt(arg("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        int reps = Integer.parseInt(arg("reps", "3"));
        System.out.printf(Locale.ROOT, "# java %s, %d cores, backends %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                backends);
        for (String backend : backends) {
            String llama = arg("llama", "llama-small");
            if (!llama.equals("none")) {
                for (String dtype : arg("dtypes", "Q8_0").split(",")) {
                    llama(backend, threads, ShapeModels.llama(llama), DType.valueOf(dtype), reps);
                }
            }
            String bert = arg("bert", "8x128");
            if (!bert.equals("none")) {
                String[] sl = bert.split("x");
                bert(backend, threads, Integer.parseInt(sl[0]), Integer.parseInt(sl[1]), reps);
            }
        }
        printRatios(backends);
    }

    private void llama(String backendName, int threads, ShapeModels.LlamaShape shape, DType dtype, int reps) throws Exception {
        int pp = Integer.parseInt(arg("pp", "64"));
        int tg = Integer.parseInt(arg("tg", "16"));
        int[] batches = Arrays.stream(arg("batch", "1,8").split(",")).mapToInt(Integer::parseInt).toArray();
        int maxBatch = Arrays.stream(batches).max().orElse(1);
        Path file = ShapeModels.llamaGguf(shape, dtype, Path.of(arg("dir", System.getProperty("java.io.tmpdir") + "/infer4j-shapes")));
        String tag = shape.name() + " " + dtype;
        long t0 = System.nanoTime();
        try (GgufFile gguf = GgufFile.open(file); Backend backend = Backends.create(backendName, threads)) {
            LlamaModel model = LlamaModel.load(gguf, backend, Math.max(pp, maxBatch), maxBatch);
            KvCache cache = model.newKvCache(maxBatch, Math.max(pp, Math.max(tg, Integer.parseInt(arg("batchSteps", "8")))) + 8);
            System.out.printf(Locale.ROOT, "%s %s: load %.0f ms%n", backendName, tag, (System.nanoTime() - t0) / 1e6);
            int vocab = model.config().vocabSize();
            SplittableRandom random = new SplittableRandom(1);
            int[] tokens = random.ints(Math.max(pp, tg), 0, vocab).toArray();
            float[] logits = new float[vocab];
            ForwardBatch batch = model.newBatch();

            double[] ppRuns = new double[reps];
            double[] tgRuns = new double[reps];
            long warmUntil = System.nanoTime() + warmupNanos();
            for (int r = -1; r < reps; r++) {   // r = -1: warm-up, repeated for warmup= seconds (the CPU kernels' JIT)
                if (r == 0 && System.nanoTime() < warmUntil) {
                    r = -1;
                }
                batch.clear();
                batch.add(0, 0, tokens, 0, pp, ForwardBatch.Logits.LAST);
                long a = System.nanoTime();
                model.forward(batch, cache);
                model.readLogits(0, logits);
                long b = System.nanoTime();
                for (int i = 0; i < tg; i++) {
                    batch.clear();
                    int row = batch.addToken(0, i, tokens[i]);
                    model.forward(batch, cache);
                    model.readLogits(row, logits);
                }
                long c = System.nanoTime();
                if (r >= 0) {
                    ppRuns[r] = pp / ((b - a) / 1e9);
                    tgRuns[r] = tg / ((c - b) / 1e9);
                }
            }
            record(backendName, tag + " pp" + pp + " tokens/s", median(ppRuns));
            record(backendName, tag + " tg" + tg + " tokens/s", median(tgRuns));
            double bandwidth = Double.parseDouble(arg("bandwidth", "0"));
            if (bandwidth > 0) {
                double roof = bandwidth * 1e9 / ShapeModels.weightBytesPerToken(shape, dtype);
                System.out.printf(Locale.ROOT, "%s %s: roof %.1f tokens/s at %.0f GB/s (weights %.2f GB/token): tg at %.0f %% of it%n",
                        backendName, tag, roof, bandwidth, ShapeModels.weightBytesPerToken(shape, dtype) / 1e9,
                        100 * median(tgRuns) / roof);
            }
            double single = 0;
            int[] rows = new int[maxBatch];
            int steps = Integer.parseInt(arg("batchSteps", "8"));
            for (int b : batches) {
                double[] runs = new double[reps];
                long batchWarmUntil = System.nanoTime() + warmupNanos() / 4;
                for (int r = -1; r < reps; r++) {
                    if (r == 0 && System.nanoTime() < batchWarmUntil) {
                        r = -1;
                    }
                    long a = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        batch.clear();
                        for (int s = 0; s < b; s++) {
                            rows[s] = batch.addToken(s, i, tokens[(i + s) % tokens.length]);
                        }
                        model.forward(batch, cache);
                        for (int s = 0; s < b; s++) {
                            model.readLogits(rows[s], logits);   // every sequence samples from its own logits
                        }
                    }
                    if (r >= 0) {
                        runs[r] = (double) b * steps / ((System.nanoTime() - a) / 1e9);
                    }
                }
                double tps = median(runs);
                if (b == 1) {
                    single = tps;
                }
                record(backendName, tag + " decode x" + b + " tokens/s", tps);
                if (single > 0 && b > 1) {
                    System.out.printf(Locale.ROOT, "%s %s: %d sequences per step decode %.1f× one sequence's%n", backendName, tag, b,
                            tps / single);
                }
            }
        }
    }

    private void bert(String backendName, int threads, int sequences, int length, int reps) {
        BertConfig config = ShapeModels.MINILM;
        String tag = "minilm-shape " + sequences + "x" + length;
        try (Arena arena = Arena.ofConfined(); Backend backend = Backends.create(backendName, threads)) {
            BertWeights weights = BertWeights.load(ShapeModels.bert(config, arena), config, backend);
            BertEncoder encoder = new BertEncoder(backend, weights, sequences * length);
            SplittableRandom random = new SplittableRandom(3);
            List<int[]> ids = new ArrayList<>();
            List<int[]> types = new ArrayList<>();
            for (int s = 0; s < sequences; s++) {
                ids.add(random.ints(length, 0, config.vocabSize()).toArray());
                types.add(new int[length]);
            }
            PackedBatch batch = PackedBatch.of(ids, types);
            int[] lengths = new int[sequences];
            Arrays.fill(lengths, length);
            Tensor pooled = backend.allocate(DType.F32, sequences, config.hiddenSize());
            float[] out = new float[sequences * config.hiddenSize()];
            double[] runs = new double[reps];
            long warmUntil = System.nanoTime() + warmupNanos();
            for (int r = -1; r < reps; r++) {
                if (r == 0 && System.nanoTime() < warmUntil) {
                    r = -1;
                }
                long a = System.nanoTime();
                Tensor states = encoder.forward(batch);
                backend.meanPool(states, sequences, length, lengths, pooled);
                backend.l2Normalize(pooled);
                backend.read(pooled, 0, out, 0, out.length);
                if (r >= 0) {
                    runs[r] = sequences / ((System.nanoTime() - a) / 1e9);
                }
            }
            record(backendName, tag + " embeddings/s", median(runs));
        }
    }

    /** The untimed warm-up of each figure: at least one run, and until {@code warmup=} seconds (default 10) have passed. */
    private long warmupNanos() {
        return (long) (Double.parseDouble(arg("warmup", "10")) * 1e9);
    }

    private void record(String backend, String figure, double value) {
        results.put(backend + "|" + figure, value);
        System.out.printf(Locale.ROOT, "%s %s %.2f%n", backend, figure, value);
    }

    private void printRatios(List<String> backends) {
        if (backends.size() < 2) {
            return;
        }
        String base = backends.get(0);
        System.out.println("# ratios to " + base + " (same run)");
        for (Map.Entry<String, Double> e : results.entrySet()) {
            String[] key = e.getKey().split("\\|", 2);
            Double ref = results.get(base + "|" + key[1]);
            if (!key[0].equals(base) && ref != null && ref > 0) {
                System.out.printf(Locale.ROOT, "%s/%s %s %.3f%n", key[0], base, key[1], e.getValue() / ref);
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
