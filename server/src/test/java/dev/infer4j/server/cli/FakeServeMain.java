package dev.infer4j.server.cli;

import dev.infer4j.server.FakeEmbeddingModel;
import picocli.CommandLine;

/** {@code infer4j serve} exactly as shipped, but over a fake model whose calls take 1 s (run as a child process). */
public final class FakeServeMain {
    private FakeServeMain() {
    }

    public static void main(String[] args) {
        CommandLine cmd = Infer4jCommand.withErrorHandling(new CommandLine(new ServeCommand((name, threads) -> {
            FakeEmbeddingModel model = new FakeEmbeddingModel(name, 8, 16);
            model.delay(1000);
            model.onCall(() -> System.err.println("fake model: call started"));
            return model;
        })));
        System.exit(cmd.execute(args));
    }
}
