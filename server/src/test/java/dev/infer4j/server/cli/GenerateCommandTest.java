package dev.infer4j.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.generate.GenerationListener;
import dev.infer4j.engine.generate.GenerationOptions;
import dev.infer4j.engine.generate.Generator;
import dev.infer4j.engine.generate.GeneratorOptions;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** {@code infer4j generate} and {@code infer4j chat} on the Llama-2 tiny random model from the shared folder. */
class GenerateCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Callable<Integer> command, String... args) {
        var cmd = Infer4jCommand.withErrorHandling(new picocli.CommandLine(command));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String model() {
        String dir = System.getProperty("infer4j.shared.dir");
        if (dir == null) {
            throw new AssertionError("system property infer4j.shared.dir is not set");
        }
        Path p = Path.of(dir, "models/llama-2-tiny-random/llama-2-tiny-random.gguf");
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("missing test input " + p.toAbsolutePath().normalize());
        }
        return p.toString();
    }

    @Test
    void greedyOutputIsWhatTheApiGenerates() {
        Run r = run(new GenerateCommand(), "--model", model(), "--prompt", "Hello world", "--max-tokens", "8",
                "--temperature", "0", "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        try (Generator g = Infer4j.generator(Path.of(model()), GeneratorOptions.defaults().withThreads(2))) {
            String expected = g.generate("Hello world", GenerationOptions.greedy(8), GenerationListener.NONE).text();
            assertEquals(expected + "\n", r.out());
        }
    }

    @Test
    void seedsAndStopStrings() {
        String[] base = {"--model", model(), "--prompt", "Hello", "--max-tokens", "12", "--threads", "2",
            "--temperature", "1.5", "--top-k", "0", "--min-p", "0"};
        Run a = run(new GenerateCommand(), concat(base, "--seed", "11"));
        Run b = run(new GenerateCommand(), concat(base, "--seed", "11"));
        Run c = run(new GenerateCommand(), concat(base, "--seed", "12"));
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(a.out(), b.out());
        assertNotEquals(a.out(), c.out());
        String text = a.out().strip();
        String stop = text.substring(text.length() / 2, text.length() / 2 + 2);
        Run stopped = run(new GenerateCommand(), concat(base, "--seed", "11", "--stop", stop, "--stats"));
        assertEquals(0, stopped.exitCode(), stopped.err());
        assertEquals(a.out().substring(0, a.out().indexOf(stop)) + "\n", stopped.out());
        assertTrue(stopped.err().contains("STOP_STRING"), stopped.err());
    }

    @Test
    void impossibleOptionsAreUsageErrors() {
        Run r = run(new GenerateCommand(), "--model", model(), "--prompt", "x", "--top-p", "0");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("top-p must lie in (0, 1]"), r.err());
        r = run(new GenerateCommand(), "--model", model(), "--prompt", "x", "--logit-bias", "5:1");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("ID=BIAS"), r.err());
        r = run(new GenerateCommand(), "--model", "/no/such/model.gguf", "--prompt", "x");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("/no/such/model.gguf"), r.err());
    }

    @Test
    void chatAnswersEachLineAndKeepsTheConversation() {
        ChatCommand chat = new ChatCommand(new ByteArrayInputStream("Hi\n\nHow are you?\n/exit\nnever read\n"
                .getBytes(StandardCharsets.UTF_8)));
        Run r = run(chat, "--model", model(), "--chat-template", "llama2", "--max-tokens", "4", "--temperature", "0",
                "--threads", "2", "--stats");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(2, r.out().lines().count(), r.out());
        List<String> stats = r.err().lines().filter(l -> l.contains("tokens/s")).toList();
        assertEquals(2, stats.size(), r.err());
        assertTrue(stats.get(1).contains("cached") && !stats.get(1).contains("(0 cached)"), stats.get(1));

        Run noTemplate = run(new ChatCommand(new ByteArrayInputStream(new byte[0])), "--model", model());
        assertEquals(2, noTemplate.exitCode());
        assertTrue(noTemplate.err().contains("--chat-template"), noTemplate.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
