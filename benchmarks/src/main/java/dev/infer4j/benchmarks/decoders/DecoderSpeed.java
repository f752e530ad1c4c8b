package dev.infer4j.benchmarks.decoders;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.llama.ForwardBatch;
import dev.infer4j.models.llama.KvCache;
import dev.infer4j.models.llama.LlamaModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * infer4j's side of the llama-bench comparison, run in its own JVM per model file so that load time and peak
 * RSS are the model's alone. It measures what llama-bench measures: {@code pp} = one forward pass of
 * {@code pp} tokens (BOS + random ids) into an empty cache, {@code tg} = {@code tg} single-token forward passes
 * from an empty cache (logits read back each step, no sampling). Like llama-bench it runs one untimed warm-up
 * of each test first; the JVM also gets 16 untimed decode steps so the decode kernels are JIT-compiled.
 *
 * <p>Prints one line per figure: {@code load_ms N}, {@code pp_ts a b c}, {@code tg_ts a b c},
 * {@code rss_peak_kb N}, {@code rss_kb N}.
 *
 * <p>Usage: {@code DecoderSpeed MODEL.gguf THREADS PP TG REPETITIONS}, or {@code DecoderSpeed MODEL.gguf THREADS PP TG
 * --stdin}: after the load and the warm-ups it prints {@code ready} and answers each line {@code run} on standard
 * input with one timed repetition of each test, {@code pair_ts PP_TS TG_TS}, until standard input ends (so that a
 * harness can put each repetition right next to one of llama.cpp's, see {@link DecoderBench}).
 */
public final class DecoderSpeed {
    private DecoderSpeed() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: DecoderSpeed MODEL.gguf THREADS PP TG (REPETITIONS | --stdin)");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int pp = Integer.parseInt(args[2]);
        int tg = Integer.parseInt(args[3]);
        boolean onRequest = args[4].equals("--stdin");
        int reps = onRequest ? 0 : Integer.parseInt(args[4]);

        long t0 = System.nanoTime();
        try (GgufFile file = GgufFile.open(model); Backend backend = Backends.create("cpu", threads)) {
            LlamaModel llama = LlamaModel.load(file, backend, Math.max(pp, 1), 1);
            KvCache cache = llama.newKvCache(1, pp + tg + 16);
            file.releaseResidentPages(); // as Generator.load does
            System.out.printf(Locale.ROOT, "load_ms %.1f%n", (System.nanoTime() - t0) / 1e6);

            int vocab = llama.config().vocabSize();
            long bos = file.meta().integer("tokenizer.ggml.bos_token_id", 1);
            SplittableRandom random = new SplittableRandom(42);
            int[] tokens = new int[Math.max(pp, tg + 16)];
            tokens[0] = (int) bos;
            for (int i = 1; i < tokens.length; i++) {
                tokens[i] = random.nextInt(vocab);
            }
            float[] logits = new float[vocab];
            ForwardBatch batch = llama.newBatch();

            if (onRequest) {
                answerRequests(llama, cache, batch, tokens, pp, tg, logits);
            }
            if (pp > 0 && reps > 0) {
                double[] ts = new double[reps];
                for (int r = -1; r < reps; r++) {
                    long s = System.nanoTime();
                    prefill(llama, cache, batch, tokens, pp, logits);
                    if (r >= 0) {
                        ts[r] = pp * 1e9 / (System.nanoTime() - s);
                    }
                }
                System.out.println("pp_ts " + join(ts));
            }
            if (tg > 0 && reps > 0) {
                decode(llama, cache, batch, tokens, 16, logits); // JIT warm-up
                double[] ts = new double[reps];
                for (int r = -1; r < reps; r++) {
                    long s = System.nanoTime();
                    decode(llama, cache, batch, tokens, tg, logits);
                    if (r >= 0) {
                        ts[r] = tg * 1e9 / (System.nanoTime() - s);
                    }
                }
                System.out.println("tg_ts " + join(ts));
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                System.out.println("rss_peak_kb " + line.replaceAll("\\D", ""));
            } else if (line.startsWith("VmRSS:")) {
                System.out.println("rss_kb " + line.replaceAll("\\D", ""));
            }
        }
    }

    /** The {@code --stdin} mode: warm-ups, {@code ready}, then one {@code pair_ts} line per {@code run} request. */
    private static void answerRequests(LlamaModel llama, KvCache cache, ForwardBatch batch, int[] tokens, int pp, int tg,
            float[] logits) throws IOException {
        if (pp > 0) {
            prefill(llama, cache, batch, tokens, pp, logits);
        }
        if (tg > 0) {
            decode(llama, cache, batch, tokens, 16, logits); // JIT warm-up
            decode(llama, cache, batch, tokens, tg, logits);
        }
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (!line.strip().equals("run")) {
                System.err.println("unknown request: " + line);
                continue;
            }
            double ppTs = Double.NaN;
            double tgTs = Double.NaN;
            if (pp > 0) {
                long s = System.nanoTime();
                prefill(llama, cache, batch, tokens, pp, logits);
                ppTs = pp * 1e9 / (System.nanoTime() - s);
            }
            if (tg > 0) {
                long s = System.nanoTime();
                decode(llama, cache, batch, tokens, tg, logits);
                tgTs = tg * 1e9 / (System.nanoTime() - s);
            }
            System.out.printf(Locale.ROOT, "pair_ts %.3f %.3f%n", ppTs, tgTs);
            System.out.flush();
        }
    }

    private static void prefill(LlamaModel llama, KvCache cache, ForwardBatch batch, int[] tokens, int pp, float[] logits) {
        batch.clear();
        int row = batch.add(0, 0, tokens, 0, pp, ForwardBatch.Logits.LAST);
        llama.forward(batch, cache);
        llama.readLogits(row, logits);
    }

    private static void decode(LlamaModel llama, KvCache cache, ForwardBatch batch, int[] tokens, int steps, float[] logits) {
        for (int i = 0; i < steps; i++) {
            batch.clear();
            int row = batch.addToken(0, i, tokens[i]);
            llama.forward(batch, cache);
            llama.readLogits(row, logits);
        }
    }

    private static String join(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.3f", d));
        }
        return sb.toString();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
