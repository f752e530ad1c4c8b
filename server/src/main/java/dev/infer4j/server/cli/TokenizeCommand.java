package dev.infer4j.server.cli;

import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.registry.BuiltInModel;
import dev.infer4j.models.registry.ModelRegistry;
import dev.infer4j.tokenizer.Encoding;
import dev.infer4j.tokenizer.Tokenizer;
import dev.infer4j.tokenizer.Tokenizers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code infer4j tokenize}: prints the token ids of texts (given as options or as lines of standard input), with
 * {@code --pieces} and {@code --offsets} one token per line: id, piece, and the input range it covers.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tokenizes texts and prints their token ids.",
            "Texts come from --text, or else from standard input, one per line (UTF-8).",
            "Without --pieces/--offsets: one line of space-separated ids per text. With them: one line per token",
            "(id, then the piece, then start-end in UTF-16 chars and the covered text), a blank line between texts."})
public final class TokenizeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--tokenizer", paramLabel = "FILE|MODEL", required = true,
            description = "A tokenizer.json, a .gguf file, a model directory holding tokenizer.json, or a built-in "
                    + "model name (${COMPLETION-CANDIDATES}).", completionCandidates = BuiltInNames.class)
    String tokenizer;

    @Option(names = "--text", paramLabel = "TEXT", description = "A text to tokenize; repeat for several.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--pieces", description = "Print each token's vocabulary piece.")
    boolean pieces;

    @Option(names = "--offsets", description = "Print the input range each token covers.")
    boolean offsets;

    @Option(names = "--no-special", description = "Do not add special tokens ([CLS]/[SEP], BOS, ...).")
    boolean noSpecial;

    private final InputStream stdin;

    public TokenizeCommand() {
        this(System.in);
    }

    TokenizeCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    /** Built-in model names, for the help text. */
    static final class BuiltInNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        BuiltInNames() {
            super(ModelRegistry.builtInNames());
        }
    }

    @Override
    public Integer call() throws IOException {
        Tokenizer tok = load(tokenizer).withoutTruncation().withoutPadding();
        PrintWriter out = spec.commandLine().getOut();
        if (!texts.isEmpty()) {
            for (String text : texts) {
                print(tok, text, out);
            }
        } else {
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                print(tok, line, out);
            }
        }
        out.flush();
        return 0;
    }

    private void print(Tokenizer tok, String text, PrintWriter out) {
        Encoding e = tok.encode(text, !noSpecial);
        if (!pieces && !offsets) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < e.length(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(e.id(i));
            }
            out.println(sb);
            return;
        }
        for (int i = 0; i < e.length(); i++) {
            StringBuilder sb = new StringBuilder().append(e.id(i));
            if (pieces) {
                sb.append('\t').append(visible(tok.idToToken(e.id(i))));
            }
            if (offsets) {
                int s = e.startOffset(i);
                int t = e.endOffset(i);
                sb.append('\t').append(s).append('-').append(t).append('\t').append(visible(text.substring(s, t)));
            }
            out.println(sb);
        }
        out.println();
    }

    /** Control characters and whitespace other than a plain space as {@code \\uXXXX}, so each token stays on one line. */
    private static String visible(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (Character.isWhitespace(c) && c != ' ')) {
                sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A tokenizer from a file, a model directory or a built-in model name. */
    private Tokenizer load(String what) throws IOException {
        BuiltInModel builtIn = BuiltInModel.find(what);
        if (builtIn != null) {
            String entry = builtIn.tokenizer().entry();
            try (InputStream in = TokenizeCommand.class.getClassLoader().getResourceAsStream(entry)) {
                if (in == null) {
                    throw new IllegalStateException("built-in model " + builtIn.id() + ": " + entry
                            + " is not on the class path (missing " + builtIn.artifact() + ")");
                }
                return Tokenizers.fromJson(in);
            }
        }
        Path path = Path.of(what);
        if (Files.isDirectory(path)) {
            Path json = path.resolve("tokenizer.json");
            if (!Files.isRegularFile(json)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--tokenizer: directory " + path
                        + " has no tokenizer.json");
            }
            return Tokenizers.fromJson(json);
        }
        if (!Files.isRegularFile(path)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tokenizer: '" + what
                    + "' is neither a file nor a built-in model (" + String.join(", ", ModelRegistry.builtInNames())
                    + ")");
        }
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            try (GgufFile gguf = GgufFile.open(path)) {
                return Tokenizers.fromGguf(gguf.metadata());
            }
        }
        return Tokenizers.fromJson(path);
    }
}
