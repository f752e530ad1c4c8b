package dev.infer4j.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.server.FakeEmbeddingModel;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code infer4j embed} against a fake model: output formats, stdin, and argument errors with exit code 2. */
class EmbedCommandTest {
    private final EmbeddingModel model = new FakeEmbeddingModel("fake-embedder", 8, 16);

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(String stdin, String... args) {
        CommandLine cmd = Infer4jCommand.withErrorHandling(new CommandLine(new EmbedCommand(
                (name, threads) -> model, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).floatValue();
        }
        return v;
    }

    @Test
    void jsonOutputHasOneObjectPerTextWithTheModelsVector() throws Exception {
        Run r = run("", "--text", "hello world", "--text", "second text here");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.size());
        var expected = model.embed(List.of("hello world", "second text here"), EmbedOptions.DEFAULT);
        for (int i = 0; i < 2; i++) {
            assertEquals(i, json.get(i).get("index").asInt());
            assertEquals(expected.tokenCounts()[i], json.get(i).get("tokens").asInt());
            assertEquals(false, json.get(i).get("truncated").asBoolean());
            assertArrayEquals(expected.vectors()[i], floats(json.get(i).get("embedding")));
        }
    }

    @Test
    void csvFromStandardInputHasOneLinePerInputLineAcrossBatches() {
        StringBuilder stdin = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            stdin.append("line number ").append(i).append('\n');
        }
        Run r = run(stdin.toString(), "--format", "csv", "--no-normalize", "--dimensions", "3");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(150, lines.length);
        float[] expected = model.embed(List.of("line number 149"), new EmbedOptions(false, 3, true, false))
                .vectors()[0];
        String[] cells = lines[149].split(",");
        assertEquals(3, cells.length);
        for (int d = 0; d < 3; d++) {
            assertEquals(expected[d], Float.parseFloat(cells[d]));
        }
    }

    @Test
    void badArgumentsAreUsageErrorsWithExitCode2() {
        Run badFormat = run("", "--text", "a", "--format", "xml");
        assertEquals(2, badFormat.exitCode());
        assertTrue(badFormat.err().contains("Invalid value for option '--format'"), badFormat.err());

        Run badDims = run("", "--text", "a", "--dimensions", "0");
        assertEquals(2, badDims.exitCode());
        assertTrue(badDims.err().contains("--dimensions must be positive, got 0"), badDims.err());

        Run tooManyDims = run("", "--text", "a", "--dimensions", "99");
        assertEquals(2, tooManyDims.exitCode());
        assertTrue(tooManyDims.err().contains("--dimensions is 99 but fake-embedder makes vectors of 8"),
                tooManyDims.err());

        Run notANumber = run("", "--text", "a", "--threads", "many");
        assertEquals(2, notANumber.exitCode());
        assertTrue(notANumber.err().contains("'many' is not an int"), notANumber.err());

        Run empty = run("", "--text", "");
        assertEquals(2, empty.exitCode());
        assertTrue(empty.err().contains("--text number 1 is empty"), empty.err());
    }

    @Test
    void badInputIsAnErrorWithExitCode1NamingTheLine() {
        Run emptyLine = run("one\n\nthree\n");
        assertEquals(1, emptyLine.exitCode());
        assertTrue(emptyLine.err().contains("line 2 of standard input is empty"), emptyLine.err());

        Run nothing = run("");
        assertEquals(1, nothing.exitCode());
        assertTrue(nothing.err().contains("no input: give --text or lines on standard input"), nothing.err());

        Run tooLong = run("short\n" + "w ".repeat(30) + "\n", "--no-truncate");
        assertEquals(1, tooLong.exitCode());
        assertTrue(tooLong.err().contains("line 2 has 32 tokens; the model takes at most 16"), tooLong.err());
    }

    @Test
    void modelThatCannotLoadIsAnErrorWithExitCode1() {
        CommandLine cmd = Infer4jCommand.withErrorHandling(new CommandLine(new EmbedCommand(
                (name, threads) -> {
                    throw new java.io.FileNotFoundException("no model at " + name);
                }, new ByteArrayInputStream(new byte[0]))));
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        assertEquals(1, cmd.execute("--model", "/nowhere", "--text", "x"));
        assertTrue(err.toString().contains("no model at /nowhere"), err.toString());
    }
}
