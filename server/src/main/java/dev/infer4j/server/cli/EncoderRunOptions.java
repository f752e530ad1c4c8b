package dev.infer4j.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options every encoder command ({@code embed}, {@code classify}, {@code rerank}) shares: truncation and threads. */
final class EncoderRunOptions {
    @Option(names = "--truncate", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Cut inputs longer than the model's maximum (default); with --no-truncate they are an "
                    + "error.")
    boolean truncate;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    /** The compute threads to use, or a usage error of {@code command} when {@code --threads} is not positive. */
    int threads(CommandLine command) {
        if (threads == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (threads < 1) {
            throw new CommandLine.ParameterException(command, "--threads must be positive, got " + threads);
        }
        return threads;
    }
}
