package dev.infer4j.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code infer4j tokenize} on a built-in model and on a GGUF vocabulary from the shared folder, from options and from
 * standard input. The expected MiniLM ids, pieces and offsets are what Hugging Face tokenizers 0.21 (through DJL) gives;
 * the GPT-2 ids are lines of llama.cpp's {@code ggml-vocab-gpt-2.gguf.out} (also Hugging Face's).
 */
class TokenizeCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        CommandLine cmd = Infer4jCommand.withErrorHandling(new CommandLine(new TokenizeCommand(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Path shared(String relative) {
        String dir = System.getProperty("infer4j.shared.dir");
        if (dir == null) {
            throw new AssertionError("system property infer4j.shared.dir is not set");
        }
        Path p = Path.of(dir).resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("missing test input " + p.toAbsolutePath().normalize());
        }
        return p;
    }

    @Test
    void builtInModelPrintsHuggingFaceIds() {
        Run r = run("", "--tokenizer", "all-minilm-l6-v2", "--text", "Hello, world!", "--text", "tokenizers");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("101 7592 1010 2088 999 102\n101 19204 17629 2015 102\n", r.out());
    }

    @Test
    void readsStandardInputLineByLine() {
        Run r = run("Hello, world!\ntokenizers\n", "--tokenizer", "all-minilm-l6-v2", "--no-special");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("7592 1010 2088 999\n19204 17629 2015\n", r.out());
    }

    @Test
    void piecesAndOffsetsOneTokenPerLine() {
        Run r = run("", "--tokenizer", "all-minilm-l6-v2", "--text", "Héllo there", "--pieces", "--offsets");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("101\t[CLS]\t0-0\t\n7592\thello\t0-5\tHéllo\n2045\tthere\t6-11\tthere\n102\t[SEP]\t0-0\t\n\n",
                r.out());
    }

    @Test
    void ggufVocabularyGivesTheReferenceIds() {
        Path gguf = shared("models/llama.cpp-vocab/ggml-vocab-gpt-2.gguf");
        Run r = run("", "--tokenizer", gguf.toString(), "--text", "Hello world", "--text", " this is \uD83E\uDD99.cpp");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("15496 995\n428 318 12520 99 247 13 20322\n", r.out());
    }

    @Test
    void unknownTokenizerIsAUsageError() {
        Run r = run("", "--tokenizer", "no-such-model-or-file", "--text", "x");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("neither a file nor a built-in model"), r.err());
    }

    @Test
    void malformedTokenizerJsonNamesTheProblem() throws Exception {
        Path bad = Files.createTempFile("tokenizer", ".json");
        try {
            Files.writeString(bad, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
            Run r = run("", "--tokenizer", bad.toString(), "--text", "x");
            assertEquals(1, r.exitCode());
            assertTrue(r.err().contains("model.vocab"), r.err());
        } finally {
            Files.deleteIfExists(bad);
        }
    }
}
