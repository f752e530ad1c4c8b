package dev.infer4j.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.engine.schedule.BatchLimits;
import dev.infer4j.server.ServerConfig;
import dev.infer4j.server.model.GeneratorSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code infer4j serve} options: defaults, and bad values as usage errors (exit code 2) naming the problem. */
class ServeCommandTest {

    private static ServeCommand parse(String... args) {
        ServeCommand serve = new ServeCommand((name, threads) -> {
            throw new AssertionError("must not load");
        });
        new CommandLine(serve).parseArgs(args);
        return serve;
    }

    @Test
    void defaultsAreLoopback8080With2MiBBodiesAndNoKeys() {
        ServeCommand serve = parse();
        ServerConfig c = serve.config();
        assertEquals("127.0.0.1", c.host());
        assertEquals(8080, c.port());
        assertEquals(2 * 1024 * 1024, c.maxBodyBytes());
        assertEquals(16384, c.batchLimits().maxBatchTokens());
        assertEquals(64, c.batchLimits().maxBatchRequests());
        assertEquals(512, c.batchLimits().maxQueuedRequests());
        assertEquals(Duration.ofMillis(10), c.batchLimits().maxBatchWait());
        assertEquals(BatchLimits.DEFAULT, c.batchLimits());
        assertEquals(Duration.ofMinutes(10), c.requestTimeout());
        assertEquals(Duration.ofSeconds(30), c.shutdownGrace());
        assertTrue(c.corsOrigins().isEmpty());
        assertTrue(c.accessLog());
        assertEquals(List.of("all-minilm-l6-v2"), serve.models);
    }

    @Test
    void optionsReachTheConfiguration() {
        ServeCommand serve = parse("--model", "bge-small-en-v1.5", "--model", "/models/x", "--host", "0.0.0.0",
                "--port", "9000", "--max-batch-tokens", "4096", "--max-batch-requests", "8",
                "--max-queued-requests", "3", "--max-batch-wait", "0", "--max-body-size", "512KB", "--request-timeout", "1500ms",
                "--shutdown-grace", "1m", "--api-key", "a", "--api-key", "b", "--cors-origin", "*",
                "--no-access-log", "--threads", "2");
        ServerConfig c = serve.config();
        assertEquals(List.of("bge-small-en-v1.5", "/models/x"), serve.models);
        assertEquals("0.0.0.0", c.host());
        assertEquals(9000, c.port());
        assertEquals(512 * 1024, c.maxBodyBytes());
        assertEquals(4096, c.batchLimits().maxBatchTokens());
        assertEquals(8, c.batchLimits().maxBatchRequests());
        assertEquals(3, c.batchLimits().maxQueuedRequests());
        assertEquals(Duration.ZERO, c.batchLimits().maxBatchWait());
        assertEquals(Duration.ofMillis(1500), c.requestTimeout());
        assertEquals(Duration.ofMinutes(1), c.shutdownGrace());
        assertEquals(List.of("a", "b"), c.apiKeys());
        assertEquals(List.of("*"), c.corsOrigins());
        assertEquals(false, c.accessLog());
    }

    @Test
    void generationOptionsReachTheGeneratorSettings() {
        ServeCommand defaults = parse();
        GeneratorSettings d = defaults.generatorSettings(defaults.config());
        assertEquals(4, d.parallel());
        assertEquals(0, d.contextSize());
        assertEquals(0, d.kvCacheBytes());
        assertEquals(512, d.maxQueued());
        assertEquals(Duration.ofMinutes(10), d.requestTimeout());
        assertEquals(null, d.chatTemplate());

        ServeCommand serve = parse("--model", "a.gguf", "--parallel", "8", "--ctx-size", "1024", "--kv-cache-size",
                "64MB", "--chat-template", "chatml", "--max-queued-requests", "7", "--request-timeout", "30s");
        GeneratorSettings g = serve.generatorSettings(serve.config());
        assertEquals(8, g.parallel());
        assertEquals(1024, g.contextSize());
        assertEquals(64L << 20, g.kvCacheBytes());
        assertEquals("chatml", g.chatTemplate());
        assertEquals(7, g.maxQueued());
        assertEquals(Duration.ofSeconds(30), g.requestTimeout());
        assertEquals(8, parse("-np", "8", "-c", "512").parallel);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "--port 70000 | --port must be from 0 to 65535, got 70000",
        "--port -1 | --port must be from 0 to 65535, got -1",
        "--port http | Invalid value for option '--port': 'http' is not an int",
        "--max-batch-tokens 0 | --max-batch-tokens must be from 1",
        "--max-batch-requests -3 | --max-batch-requests must be from 1",
        "--max-queued-requests 0 | --max-queued-requests must be from 1",
        "--threads 0 | --threads must be from 1 to 4096, got 0",
        "--max-body-size 3GB | --max-body-size must be from 1 byte to 2GB",
        "--max-body-size 0 | --max-body-size must be from 1 byte to 2GB",
        "--max-body-size lots | 'lots' is not a size",
        "--request-timeout 0s | --request-timeout must be positive",
        "--max-batch-wait 2s | --max-batch-wait must be at most 1s, got 2000ms",
        "--request-timeout soon | 'soon' is not a duration",
        "--cors-origin app.example | --cors-origin must be * or an origin like https://app.example, got 'app.example'",
        "--unknown | Unknown option: '--unknown'",
        "--parallel 0 | --parallel must be from 1 to 64, got 0",
        "--parallel 65 | --parallel must be from 1 to 64, got 65",
        "--ctx-size -5 | --ctx-size must be from 0",
        "--kv-cache-size 0 | --kv-cache-size must be positive",
        "--kv-cache-size big | 'big' is not a size",
        "--chat-template jinja | --chat-template: unknown chat template 'jinja'; supported: [llama2, llama3, chatml",
    })
    void badOptionsAreUsageErrors(String args, String expected) {
        StringWriter err = new StringWriter();
        CommandLine cmd = Infer4jCommand.withErrorHandling(new CommandLine(new ServeCommand((name, threads) -> {
            throw new AssertionError("must not load");
        })));
        cmd.setErr(new PrintWriter(err));
        assertEquals(2, cmd.execute(args.split(" ")), err.toString());
        assertTrue(err.toString().contains(expected), err.toString());
    }

    @Test
    void blankApiKeyIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new ServeCommand((name, threads) -> null));
        cmd.setErr(new PrintWriter(err));
        assertEquals(2, cmd.execute("--api-key", " "));
        assertTrue(err.toString().contains("--api-key must not be blank"), err.toString());
    }
}
