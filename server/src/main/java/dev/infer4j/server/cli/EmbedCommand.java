package dev.infer4j.server.cli;

import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.engine.embed.EmbeddingResult;
import dev.infer4j.engine.embed.InputTooLongException;
import dev.infer4j.server.model.ModelLoader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code infer4j embed}: embeds texts given as options or as lines of standard input, and prints the vectors. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Embeds texts and prints one vector per text.",
            "Texts come from --text, or else from standard input, one per line (UTF-8)."})
public final class EmbedCommand implements Callable<Integer> {
    /** Lines embedded per model call when reading standard input; output streams out batch by batch. */
    private static final int TEXTS_PER_CALL = 64;

    /** Output formats. */
    enum Format { json, csv }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME|PATH", defaultValue = "all-minilm-l6-v2",
            description = "Built-in model name or model file/directory (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--text", paramLabel = "TEXT", description = "A text to embed; repeat for several.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--format", defaultValue = "json",
            description = "json: an array of {index, tokens, truncated, embedding}; csv: one line of numbers per "
                    + "text (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--normalize", negatable = true,
            description = "L2-normalise the vectors (default: as the model is configured).")
    Boolean normalize;

    @Option(names = "--dimensions", paramLabel = "N",
            description = "Keep the first N dimensions, then renormalise (Matryoshka).")
    Integer dimensions;

    @CommandLine.Mixin
    EncoderRunOptions run = new EncoderRunOptions();

    private final ModelLoader loader;
    private final InputStream stdin;

    public EmbedCommand() {
        this(EngineModels::embeddingModel, System.in);
    }

    EmbedCommand(ModelLoader loader, InputStream stdin) {
        this.loader = loader;
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws Exception {
        if (dimensions != null && dimensions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--dimensions must be positive, got "
                    + dimensions);
        }
        int threads = run.threads(spec.commandLine());
        TextInput input = new TextInput(texts, stdin);
        if (input.firstEmptyOption() > 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--text number " + input.firstEmptyOption()
                    + " is empty; there is nothing to embed");
        }
        try (EmbeddingModel m = loader.load(model, threads)) {
            if (dimensions != null && dimensions > m.info().dimensions()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--dimensions is " + dimensions
                        + " but " + m.info().name() + " makes vectors of " + m.info().dimensions());
            }
            EmbedOptions options = new EmbedOptions(normalize, dimensions, run.truncate, false);
            VectorWriter out = new VectorWriter(spec.commandLine().getOut(), format);
            input.forEachBatch(TEXTS_PER_CALL, (batch, first) -> {
                try {
                    out.write(m.embed(batch, options));
                } catch (InputTooLongException e) {
                    throw new IllegalArgumentException(input.describe(first + e.index()) + " has " + e.tokens()
                            + " tokens; the model takes at most " + e.maxTokens() + " (drop --no-truncate to cut it)",
                            e);
                }
            });
            out.finish();
        }
        return 0;
    }

    /** Streams vectors out as JSON (one array element per line) or CSV. */
    private static final class VectorWriter {
        private final PrintWriter out;
        private final Format format;
        private int index;

        VectorWriter(PrintWriter out, Format format) {
            this.out = out;
            this.format = format;
        }

        void write(EmbeddingResult result) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < result.vectors().length; i++) {
                line.setLength(0);
                if (format == Format.json) {
                    line.append(index == 0 ? "[\n" : ",\n").append("{\"index\":").append(index)
                            .append(",\"tokens\":").append(result.tokenCounts()[i])
                            .append(",\"truncated\":").append(result.truncated()[i]).append(",\"embedding\":[");
                }
                float[] v = result.vectors()[i];
                for (int d = 0; d < v.length; d++) {
                    if (d > 0) {
                        line.append(',');
                    }
                    line.append(v[d]); // shortest representation that reads back as the same float
                }
                if (format == Format.json) {
                    line.append("]}");
                    out.print(line);
                } else {
                    out.println(line);
                }
                index++;
            }
            out.flush();
        }

        void finish() {
            if (format == Format.json) {
                out.println(index == 0 ? "[]" : "\n]");
            }
            out.flush();
        }
    }
}
