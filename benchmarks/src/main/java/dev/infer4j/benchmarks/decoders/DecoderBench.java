package dev.infer4j.benchmarks.decoders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infer4j.benchmarks.HarnessOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Decoder speed side by side with llama.cpp on the same file with the same threads, prompt length and generated
 * tokens. The host's memory bandwidth moves by half within tens of seconds here, so every repetition of infer4j
 * runs right after one of llama.cpp's and is compared with it: per round and model file, one infer4j JVM
 * ({@link DecoderSpeed} {@code --stdin}) loads the model and warms up, then {@code reps} times {@code llama-bench
 * -r 1} runs and the JVM answers one timed repetition. Prints the medians of each engine's tokens/s and the
 * median, over all pairs, of the ratio infer4j / llama.cpp (with the pairs' range for decode), plus infer4j's
 * load time and both engines' peak RSS. A fresh JVM per round keeps JVM-to-JVM differences in the figures.
 *
 * <p>Usage: {@code DecoderBench --dir DIR [--shape tinyllama] [--types F32,F16,Q8_0,Q4_0] [--threads 2]
 * [--rounds 3] [--reps 3] [--pp 128] [--tg 64] [--kit ../shared/llama.cpp]}; see benchmarks/README.md.
 */
public final class DecoderBench {
    /** One repetition of each engine, run back to back. */
    private record Pair(double llamaPp, double llamaTg, double ourPp, double ourTg) {
    }

    /** One round of one file: its pairs, infer4j's load time and both engines' peak RSS. */
    private record Round(List<Pair> pairs, double loadMs, long llamaRssKb, long ourRssKb) {
    }

    private DecoderBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = HarnessOptions.parse(args);
        Path dir = Path.of(o.getOrDefault("dir", "/tmp/infer4j-shapes"));
        String shape = o.getOrDefault("shape", "tinyllama");
        List<String> types = List.of(o.getOrDefault("types", "F32,F16,Q8_0,Q4_0").split(","));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        int reps = Integer.parseInt(o.getOrDefault("reps", "3"));
        int pp = Integer.parseInt(o.getOrDefault("pp", "128"));
        int tg = Integer.parseInt(o.getOrDefault("tg", "64"));
        if (threads < 1 || rounds < 1 || reps < 1 || pp < 0 || tg < 0 || pp + tg == 0) {
            throw new IllegalArgumentException("need threads, rounds, reps >= 1, pp, tg >= 0 and pp + tg > 0");
        }
        Path kit = Path.of(o.getOrDefault("kit", "../shared/llama.cpp"));
        Path llamaBench = kit.resolve("bin/llama-bench");
        if (!Files.isExecutable(llamaBench)) {
            throw new IllegalArgumentException("llama-bench not found at " + llamaBench + " (use --kit)");
        }

        Map<String, List<Round>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String type : types) {
                Path file = dir.resolve(shape + "-shape-" + type + ".gguf");
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("missing " + file + " (make it with " + kit
                            + "/make-shape-models.sh " + dir + " " + shape + ")");
                }
                Round r = runRound(llamaBench, file, threads, pp, tg, reps);
                results.computeIfAbsent(type, k -> new ArrayList<>()).add(r);
                for (Pair p : r.pairs()) {
                    System.err.printf(Locale.ROOT, "round %d %-5s llama.cpp pp%d %.2f tg%d %.2f | infer4j pp%d %.2f tg%d %.2f t/s%n",
                            round, type, pp, p.llamaPp(), tg, p.llamaTg(), pp, p.ourPp(), tg, p.ourTg());
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%s shape, %d threads, %d rounds x %d pairs (medians; ratio: median over the pairs "
                + "of infer4j / llama.cpp, decode range in brackets)%n%n", shape, threads, rounds, reps);
        System.out.printf("| file | llama.cpp pp%d | infer4j pp%d | ratio | llama.cpp tg%d | infer4j tg%d | ratio | infer4j load | peak RSS llama.cpp / infer4j |%n",
                pp, pp, tg, tg);
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String type : types) {
            List<Round> rs = results.get(type);
            List<Pair> pairs = new ArrayList<>();
            for (Round r : rs) {
                pairs.addAll(r.pairs());
            }
            double[] tgRatios = values(pairs, p -> p.ourTg() / p.llamaTg());
            Arrays.sort(tgRatios);
            System.out.printf(Locale.ROOT, "| %s-%s | %.2f | %.2f | **%.2f** | %.2f | %.2f | **%.2f** (%.2f-%.2f) | %.1f s | %.2f / %.2f GB |%n",
                    shape, type, median(pairs, Pair::llamaPp), median(pairs, Pair::ourPp),
                    median(pairs, p -> p.ourPp() / p.llamaPp()), median(pairs, Pair::llamaTg), median(pairs, Pair::ourTg),
                    DecoderSpeed.median(tgRatios), tgRatios[0], tgRatios[tgRatios.length - 1],
                    DecoderSpeed.median(values(rs, Round::loadMs)) / 1000,
                    DecoderSpeed.median(values(rs, r -> r.llamaRssKb())) / 1e6,
                    DecoderSpeed.median(values(rs, r -> r.ourRssKb())) / 1e6);
        }
    }

    /** One infer4j JVM on {@code file}, its repetitions each right after one llama-bench run. */
    private static Round runRound(Path llamaBench, Path file, int threads, int pp, int tg, int reps)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                // the JVM flags of ./infer4j: a small young generation, so the garbage of the first (not yet
                // compiled) Vector API calls does not grow the heap by hundreds of megabytes of resident memory
                "-XX:+UseParallelGC", "-Xmn64m", "-cp", System.getProperty("java.class.path"),
                DecoderSpeed.class.getName(), file.toString(), String.valueOf(threads), String.valueOf(pp),
                String.valueOf(tg), "--stdin");
        Path err = Files.createTempFile("decoder-bench", ".err");
        Process jvm = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
             Writer requests = new OutputStreamWriter(jvm.getOutputStream(), StandardCharsets.UTF_8)) {
            double load = Double.NaN;
            String line;
            while (!"ready".equals(line = readLine(out, jvm, err))) {
                if (line.startsWith("load_ms ")) {
                    load = Double.parseDouble(line.substring(8).trim());
                }
            }
            List<Pair> pairs = new ArrayList<>();
            long llamaRss = 0;
            for (int r = 0; r < reps; r++) {
                LlamaRun l = runLlamaBench(llamaBench, file, threads, pp, tg);
                llamaRss = Math.max(llamaRss, l.rssKb());
                requests.write("run\n");
                requests.flush();
                String[] f = readLine(out, jvm, err).split(" ");
                if (!f[0].equals("pair_ts")) {
                    throw new IllegalStateException("unexpected answer from DecoderSpeed: " + String.join(" ", f));
                }
                pairs.add(new Pair(l.pp(), l.tg(), Double.parseDouble(f[1]), Double.parseDouble(f[2])));
            }
            requests.close();
            long rss = 0;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("rss_peak_kb ")) {
                    rss = Long.parseLong(line.substring(12).trim());
                }
            }
            if (jvm.waitFor() != 0) {
                throw new IllegalStateException("DecoderSpeed exited with " + jvm.exitValue() + ": " + Files.readString(err));
            }
            return new Round(pairs, load, llamaRss, rss);
        } finally {
            jvm.destroy();
            Files.deleteIfExists(err);
        }
    }

    private static String readLine(BufferedReader out, Process jvm, Path err) throws IOException, InterruptedException {
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("DecoderSpeed ended early (exit " + jvm.waitFor() + "): " + Files.readString(err));
        }
        return line.strip();
    }

    private static <T> double[] values(List<T> items, ToDoubleFunction<T> f) {
        double[] v = new double[items.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(items.get(i));
        }
        return v;
    }

    private static double median(List<Pair> pairs, ToDoubleFunction<Pair> f) {
        return DecoderSpeed.median(values(pairs, f));
    }

    private record LlamaRun(double pp, double tg, long rssKb) {
    }

    /** One llama-bench repetition of each test (after its own warm-up run), and its peak RSS. */
    private static LlamaRun runLlamaBench(Path bench, Path file, int threads, int pp, int tg) throws IOException, InterruptedException {
        List<String> cmd = List.of("/usr/bin/time", "-f", "maxrss_kb %M", bench.toString(), "-m", file.toString(),
                "-t", String.valueOf(threads), "-p", String.valueOf(pp), "-n", String.valueOf(tg),
                "-r", "1", "-o", "json");
        Output out = run(cmd);
        JsonNode tests = new ObjectMapper().readTree(out.stdout());
        double ppTs = Double.NaN;
        double tgTs = Double.NaN;
        for (JsonNode t : tests) {
            if (t.get("n_prompt").asInt() > 0 && t.get("n_gen").asInt() == 0) {
                ppTs = t.get("avg_ts").asDouble();
            } else if (t.get("n_prompt").asInt() == 0 && t.get("n_gen").asInt() > 0) {
                tgTs = t.get("avg_ts").asDouble();
            }
        }
        long rss = 0;
        for (String line : out.stderr().split("\n")) {
            if (line.startsWith("maxrss_kb ")) {
                rss = Long.parseLong(line.substring(10).trim());
            }
        }
        return new LlamaRun(ppTs, tgTs, rss);
    }

    private record Output(String stdout, String stderr) {
    }

    private static Output run(List<String> cmd) throws IOException, InterruptedException {
        Path err = Files.createTempFile("decoder-bench", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            String stderr = Files.readString(err);
            if (code != 0) {
                throw new IllegalStateException(cmd.get(0) + " exited with " + code + ": " + stderr);
            }
            return new Output(stdout, stderr);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
