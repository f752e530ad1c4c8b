package dev.infer4j.server.cli;

import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.generate.GenerationOptions;
import dev.infer4j.engine.generate.GenerationResult;
import dev.infer4j.engine.generate.Generator;
import dev.infer4j.engine.generate.GeneratorOptions;
import dev.infer4j.engine.generate.SamplingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code infer4j generate}: continues a prompt with a GGUF decoder model, streaming the text to standard output. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generates text from a prompt with a GGUF model (Llama family: Llama 2/3, Mistral, Qwen2, Phi-3)",
            "and streams it to standard output."})
public final class GenerateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The text to continue.")
    String prompt;

    @Option(names = "--echo", description = "Print the prompt before the generated text.")
    boolean echo;

    @Mixin
    DecodingOptions decoding = new DecodingOptions();

    @Override
    public Integer call() {
        GenerationOptions options = decoding.generationOptions(spec, 256);
        try (Generator generator = Infer4j.generator(model, decoding.generatorOptions(spec))) {
            PrintWriter out = spec.commandLine().getOut();
            if (echo) {
                out.print(prompt);
                out.flush();
            }
            GenerationResult r = generator.generate(prompt, options, text -> {
                out.print(text);
                out.flush();
            });
            out.println();
            out.flush();
            decoding.printStats(spec, generator, r);
        }
        return 0;
    }

    /** Options shared by {@code generate} and {@code chat}: sampling, limits, threads and context. */
    static final class DecodingOptions {
        @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens to generate (default: 256 for generate, 1024 per chat reply).")
        Integer maxTokens;

        @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
                description = "Sampling temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
        float temperature;

        @Option(names = "--top-k", paramLabel = "K", defaultValue = "40", description = "Keep the K most likely tokens; 0 = off (default: ${DEFAULT-VALUE}).")
        int topK;

        @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.95", description = "Nucleus sampling; 1 = off (default: ${DEFAULT-VALUE}).")
        float topP;

        @Option(names = "--min-p", paramLabel = "P", defaultValue = "0.05", description = "Drop tokens below P times the best one; 0 = off (default: ${DEFAULT-VALUE}).")
        float minP;

        @Option(names = "--repeat-penalty", paramLabel = "X", defaultValue = "1.0", description = "Penalise recent tokens; 1 = off (default: ${DEFAULT-VALUE}).")
        float repeatPenalty;

        @Option(names = "--presence-penalty", paramLabel = "X", defaultValue = "0", description = "Subtracted from recent tokens' logits (default: ${DEFAULT-VALUE}).")
        float presencePenalty;

        @Option(names = "--frequency-penalty", paramLabel = "X", defaultValue = "0", description = "Subtracted per occurrence of a recent token (default: ${DEFAULT-VALUE}).")
        float frequencyPenalty;

        @Option(names = "--repeat-last-n", paramLabel = "N", defaultValue = "64", description = "Tokens the penalties look back over (default: ${DEFAULT-VALUE}).")
        int repeatLastN;

        @Option(names = "--logit-bias", paramLabel = "ID=BIAS", description = "Add BIAS to token ID's logit (-inf bans it); repeatable.")
        List<String> logitBias = new ArrayList<>();

        @Option(names = "--seed", paramLabel = "N", description = "Random seed: the same seed gives the same text (default: random).")
        Long seed;

        @Option(names = "--stop", paramLabel = "TEXT", description = "Stop before this text; repeatable.")
        List<String> stop = new ArrayList<>();

        @Option(names = "--ignore-eos", description = "Keep generating after the end-of-sequence token.")
        boolean ignoreEos;

        @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
        Integer threads;

        @Option(names = "--context", paramLabel = "N", description = "Context length in tokens (default: the model's, at most 4096).")
        Integer context;

        @Option(names = "--stats", description = "Print load time and tokens per second to standard error.")
        boolean stats;

        GeneratorOptions generatorOptions(CommandLine.Model.CommandSpec spec) {
            GeneratorOptions o = GeneratorOptions.defaults();
            try {
                if (threads != null) {
                    o = o.withThreads(threads);
                }
                if (context != null) {
                    o = o.withContextLength(context);
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return o;
        }

        GenerationOptions generationOptions(CommandLine.Model.CommandSpec spec, int defaultMaxTokens) {
            try {
                Map<Integer, Float> bias = new HashMap<>();
                for (String b : logitBias) {
                    int eq = b.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--logit-bias takes ID=BIAS, got '" + b + "'");
                    }
                    String value = b.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
                    bias.put(Integer.parseInt(b.substring(0, eq).trim()),
                            value.equals("-inf") ? Float.NEGATIVE_INFINITY : Float.parseFloat(value));
                }
                long s = seed != null ? seed : new SecureRandom().nextLong();
                SamplingOptions sampling = new SamplingOptions(temperature, topK, topP, minP, repeatPenalty,
                        presencePenalty, frequencyPenalty, repeatLastN, bias, s);
                return new GenerationOptions(maxTokens != null ? maxTokens : defaultMaxTokens, stop, sampling, ignoreEos);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        void printStats(CommandLine.Model.CommandSpec spec, Generator generator, GenerationResult r) {
            if (stats) {
                spec.commandLine().getErr().printf(Locale.ROOT,
                        "load %.0f ms | prompt %d tokens (%d cached), %.1f tokens/s | generated %d tokens, %.1f tokens/s | %s%n",
                        generator.loadNanos() / 1e6, r.promptTokens(), r.reusedTokens(), r.promptTokensPerSecond(),
                        r.tokens().length, r.generatedTokensPerSecond(), r.finishReason());
                spec.commandLine().getErr().flush();
            }
        }
    }
}
