package dev.infer4j.server.cli;

import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.classify.ClassificationResult;
import dev.infer4j.engine.classify.ClassifyOptions;
import dev.infer4j.engine.classify.ScoreActivation;
import dev.infer4j.engine.classify.TextClassifier;
import dev.infer4j.engine.embed.InputTooLongException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code infer4j classify}: scores every label of a sequence-classification model for each text. */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classifies texts with a sequence-classification model (a model directory whose config.json "
                + "has id2label, e.g. a sentiment or NLI model).",
            "Texts come from --text, or else from standard input, one per line (UTF-8); with --pairs each text is "
                + "'first<TAB>second'."})
public final class ClassifyCommand implements Callable<Integer> {
    private static final int TEXTS_PER_CALL = 64;

    /** Output formats. */
    enum Format { json, csv }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "PATH", required = true,
            description = "Model directory or file with a classification head.")
    String model;

    @Option(names = "--text", paramLabel = "TEXT", description = "A text to classify; repeat for several.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--pairs", description = "Each text is a pair 'first<TAB>second' (e.g. premise and hypothesis).")
    boolean pairs;

    @Option(names = "--activation", paramLabel = "softmax|sigmoid|none",
            description = "How logits become scores (default: softmax, or sigmoid for multi-label models).")
    String activation;

    @Option(names = "--format", defaultValue = "json",
            description = "json: {index, label, scores{label: score}} per text; csv: a header of labels, then "
                    + "index, best label and the scores per text (default: ${DEFAULT-VALUE}).")
    Format format;

    @CommandLine.Mixin
    EncoderRunOptions run = new EncoderRunOptions();

    private final ModelOpener<TextClassifier> opener;
    private final InputStream stdin;

    public ClassifyCommand() {
        this(Infer4j::classifier, System.in);
    }

    ClassifyCommand(ModelOpener<TextClassifier> opener, InputStream stdin) {
        this.opener = opener;
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws Exception {
        ScoreActivation scoreActivation = parseActivation();
        int threads = run.threads(spec.commandLine());
        TextInput input = new TextInput(texts, stdin);
        if (input.firstEmptyOption() > 0) {
            throw usage("--text number " + input.firstEmptyOption() + " is empty; there is nothing to classify");
        }
        ClassifyOptions options = new ClassifyOptions(scoreActivation, run.truncate);
        PrintWriter out = spec.commandLine().getOut();
        try (TextClassifier classifier = opener.open(model, threads)) {
            int[] written = {0};
            if (format == Format.csv) {
                out.println("index,label," + String.join(",", classifier.labels()));
            }
            input.forEachBatch(TEXTS_PER_CALL, (batch, first) -> {
                ClassificationResult result = classify(classifier, input, batch, first, options);
                for (int i = 0; i < batch.size(); i++) {
                    write(out, result, i, written[0]++);
                }
                out.flush();
            });
            if (format == Format.json) {
                out.println(written[0] == 0 ? "[]" : "\n]");
            }
            out.flush();
        }
        return 0;
    }

    private ClassificationResult classify(TextClassifier classifier, TextInput input, List<String> batch, int first,
            ClassifyOptions options) {
        try {
            if (!pairs) {
                return classifier.classify(batch, options);
            }
            List<String> firsts = new ArrayList<>(batch.size());
            List<String> seconds = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                String[] parts = batch.get(i).split("\t", -1);
                if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                    throw new IllegalArgumentException(input.describe(first + i) + " is not a pair 'first<TAB>second'"
                            + " (--pairs)");
                }
                firsts.add(parts[0]);
                seconds.add(parts[1]);
            }
            return classifier.classifyPairs(firsts, seconds, options);
        } catch (InputTooLongException e) {
            throw new IllegalArgumentException(input.describe(first + e.index()) + " has " + e.tokens()
                    + " tokens; the model takes at most " + e.maxTokens() + " (drop --no-truncate to cut it)", e);
        }
    }

    private void write(PrintWriter out, ClassificationResult result, int i, int index) {
        float[] scores = result.scores()[i];
        StringBuilder line = new StringBuilder();
        if (format == Format.json) {
            line.append(index == 0 ? "[\n" : ",\n").append("{\"index\":").append(index).append(",\"label\":");
            JsonText.string(line, result.bestLabel(i)).append(",\"scores\":{");
            for (int l = 0; l < scores.length; l++) {
                JsonText.string(line.append(l > 0 ? "," : ""), result.labels().get(l)).append(':').append(scores[l]);
            }
            out.print(line.append("}}"));
        } else {
            line.append(index).append(',').append(Csv.field(result.bestLabel(i)));
            for (float s : scores) {
                line.append(',').append(s);
            }
            out.println(line);
        }
    }

    private ScoreActivation parseActivation() {
        if (activation == null) {
            return null;
        }
        try {
            return ScoreActivation.valueOf(activation.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("--activation must be softmax, sigmoid or none, got '" + activation + "'");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
