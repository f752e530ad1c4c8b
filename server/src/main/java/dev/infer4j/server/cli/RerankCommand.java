package dev.infer4j.server.cli;

import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.embed.InputTooLongException;
import dev.infer4j.engine.rerank.RerankOptions;
import dev.infer4j.engine.rerank.RerankResult;
import dev.infer4j.engine.rerank.Reranker;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code infer4j rerank}: scores documents against a query with a cross-encoder and prints them best first. */
@Command(name = "rerank", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ranks documents by relevance to a query with a cross-encoder (a model directory whose "
                + "classification head has one label, e.g. ms-marco-MiniLM).",
            "Documents come from --doc, or else from standard input, one per line (UTF-8)."})
public final class RerankCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { json, csv }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "PATH", required = true,
            description = "Cross-encoder model directory or file.")
    String model;

    @Option(names = "--query", paramLabel = "TEXT", required = true, description = "The query.")
    String query;

    @Option(names = "--doc", paramLabel = "TEXT", description = "A document to rank; repeat for several.")
    List<String> docs = new ArrayList<>();

    @Option(names = "--raw-scores", description = "Print the logits instead of sigmoid probabilities.")
    boolean rawScores;

    @Option(names = "--format", defaultValue = "json",
            description = "json: {rank, index, score, document} per document, best first; csv: rank,index,score "
                    + "lines (default: ${DEFAULT-VALUE}).")
    Format format;

    @CommandLine.Mixin
    EncoderRunOptions run = new EncoderRunOptions();

    private final ModelOpener<Reranker> opener;
    private final InputStream stdin;

    public RerankCommand() {
        this(Infer4j::reranker, System.in);
    }

    RerankCommand(ModelOpener<Reranker> opener, InputStream stdin) {
        this.opener = opener;
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws Exception {
        if (query.isEmpty()) {
            throw usage("--query is empty");
        }
        int threads = run.threads(spec.commandLine());
        TextInput input = new TextInput(docs, stdin);
        if (input.firstEmptyOption() > 0) {
            throw usage("--doc number " + input.firstEmptyOption() + " is empty");
        }
        List<String> documents = input.readAll();
        try (Reranker reranker = opener.open(model, threads)) {
            RerankResult result;
            try {
                result = reranker.rerank(query, documents, new RerankOptions(rawScores, run.truncate));
            } catch (InputTooLongException e) {
                throw new IllegalArgumentException("the query with document " + (e.index() + 1) + " has "
                        + e.tokens() + " tokens; the model takes at most " + e.maxTokens()
                        + " (drop --no-truncate to cut it)", e);
            }
            write(spec.commandLine().getOut(), result, documents);
        }
        return 0;
    }

    private void write(PrintWriter out, RerankResult result, List<String> documents) {
        if (format == Format.csv) {
            out.println("rank,index,score");
        }
        StringBuilder text = new StringBuilder(format == Format.json ? "[\n" : "");
        for (int rank = 0; rank < result.ranking().length; rank++) {
            int doc = result.ranking()[rank];
            if (format == Format.json) {
                text.append(rank > 0 ? ",\n" : "").append("{\"rank\":").append(rank + 1).append(",\"index\":")
                        .append(doc).append(",\"score\":").append(result.scores()[doc]).append(",\"document\":");
                JsonText.string(text, documents.get(doc)).append('}');
            } else {
                text.append(rank + 1).append(',').append(doc).append(',').append(result.scores()[doc]).append('\n');
            }
        }
        out.print(format == Format.json ? text.append("\n]\n") : text);
        out.flush();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
