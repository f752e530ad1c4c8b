package dev.infer4j.benchmarks.decoders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infer4j.benchmarks.HarnessOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decoder speed side by side with llama.cpp: for each model file and each round, runs {@code llama-bench} and
 * then infer4j ({@link DecoderSpeed}, in a fresh JVM) on the same file with the same threads, prompt length and
 * generated tokens, alternating, and prints the medians over rounds of each pass's mean tokens/s with the
 * ratio infer4j / llama.cpp, plus infer4j's load time and both engines' peak RSS.
 *
 * <p>Usage: {@code DecoderBench --dir DIR [--shape tinyllama] [--types F32,F16,Q8_0,Q4_0] [--threads 2]
 * [--rounds 3] [--reps 3] [--pp 128] [--tg 64] [--kit ../shared/llama.cpp]}; see benchmarks/README.md.
 */
public final class DecoderBench {
    private record Pass(double pp, double tg, double loadMs, long rssKb) {
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
        Path kit = Path.of(o.getOrDefault("kit", "../shared/llama.cpp"));
        Path llamaBench = kit.resolve("bin/llama-bench");
        if (!Files.isExecutable(llamaBench)) {
            throw new IllegalArgumentException("llama-bench not found at " + llamaBench + " (use --kit)");
        }

        Map<String, List<Pass>> llama = new LinkedHashMap<>();
        Map<String, List<Pass>> ours = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String type : types) {
                Path file = dir.resolve(shape + "-shape-" + type + ".gguf");
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("missing " + file + " (make it with " + kit
                            + "/make-shape-models.sh " + dir + " " + shape + ")");
                }
                Pass l = runLlamaBench(llamaBench, file, threads, pp, tg, reps);
                Pass j = runInfer4j(file, threads, pp, tg, reps);
                llama.computeIfAbsent(type, k -> new ArrayList<>()).add(l);
                ours.computeIfAbsent(type, k -> new ArrayList<>()).add(j);
                System.err.printf(Locale.ROOT, "round %d %-5s llama.cpp pp%d %.2f tg%d %.2f | infer4j pp%d %.2f tg%d %.2f t/s%n",
                        round, type, pp, l.pp(), tg, l.tg(), pp, j.pp(), tg, j.tg());
            }
        }
        System.out.printf(Locale.ROOT, "%n%s shape, %d threads, %d rounds x %d repetitions (median of round means, tokens/s)%n%n",
                shape, threads, rounds, reps);
        System.out.printf("| file | llama.cpp pp%d | infer4j pp%d | ratio | llama.cpp tg%d | infer4j tg%d | ratio | infer4j load | peak RSS llama.cpp / infer4j |%n",
                pp, pp, tg, tg);
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String type : types) {
            List<Pass> l = llama.get(type);
            List<Pass> j = ours.get(type);
            double lpp = median(l, Pass::pp);
            double jpp = median(j, Pass::pp);
            double ltg = median(l, Pass::tg);
            double jtg = median(j, Pass::tg);
            System.out.printf(Locale.ROOT, "| %s-%s | %.2f | %.2f | **%.2f** | %.2f | %.2f | **%.2f** | %.1f s | %.2f / %.2f GB |%n",
                    shape, type, lpp, jpp, jpp / lpp, ltg, jtg, jtg / ltg, median(j, Pass::loadMs) / 1000,
                    median(l, p -> p.rssKb()) / 1e6, median(j, p -> p.rssKb()) / 1e6);
        }
    }

    private interface Field {
        double of(Pass p);
    }

    private static double median(List<Pass> passes, Field f) {
        double[] v = new double[passes.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.of(passes.get(i));
        }
        return DecoderSpeed.median(v);
    }

    private static Pass runLlamaBench(Path bench, Path file, int threads, int pp, int tg, int reps) throws IOException, InterruptedException {
        List<String> cmd = List.of("/usr/bin/time", "-f", "maxrss_kb %M", bench.toString(), "-m", file.toString(),
                "-t", String.valueOf(threads), "-p", String.valueOf(pp), "-n", String.valueOf(tg),
                "-r", String.valueOf(reps), "-o", "json");
        Output out = run(cmd);
        JsonNode tests = new ObjectMapper().readTree(out.stdout());
        double ppTs = 0;
        double tgTs = 0;
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
        return new Pass(ppTs, tgTs, Double.NaN, rss);
    }

    private static Pass runInfer4j(Path file, int threads, int pp, int tg, int reps) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                // the JVM flags of ./infer4j: a small young generation, so the garbage of the first (not yet
                // compiled) Vector API calls does not grow the heap by hundreds of megabytes of resident memory
                "-XX:+UseParallelGC", "-Xmn64m", "-cp", System.getProperty("java.class.path"),
                DecoderSpeed.class.getName(), file.toString(), String.valueOf(threads), String.valueOf(pp),
                String.valueOf(tg), String.valueOf(reps));
        Output out = run(cmd);
        double ppTs = Double.NaN;
        double tgTs = Double.NaN;
        double load = Double.NaN;
        long rss = 0;
        for (String line : out.stdout().split("\n")) {
            String[] f = line.trim().split(" ");
            switch (f[0]) {
                case "load_ms" -> load = Double.parseDouble(f[1]);
                case "pp_ts" -> ppTs = mean(f);
                case "tg_ts" -> tgTs = mean(f);
                case "rss_peak_kb" -> rss = Long.parseLong(f[1]);
                default -> { }
            }
        }
        return new Pass(ppTs, tgTs, load, rss);
    }

    /** Mean of the numbers after the label, as llama-bench's {@code avg_ts}. */
    private static double mean(String[] fields) {
        return Arrays.stream(fields, 1, fields.length).mapToDouble(Double::parseDouble).average().orElse(Double.NaN);
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
