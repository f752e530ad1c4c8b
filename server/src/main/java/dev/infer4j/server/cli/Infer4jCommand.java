package dev.infer4j.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code infer4j} command line; each job is a subcommand. */
@Command(name = "infer4j",
        mixinStandardHelpOptions = true,
        versionProvider = Infer4jCommand.Version.class,
        description = "Transformer text-model inference on the JVM.",
        subcommands = {
            ServeCommand.class,
            EmbedCommand.class,
            ClassifyCommand.class,
            RerankCommand.class,
            TokenizeCommand.class,
            GenerateCommand.class,
            ChatCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Infer4jCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with its error handling: a bad argument is a usage error (exit code 2, picocli's default);
     * a failure while running prints one line naming the problem (exit code 1), the stack trace only with
     * {@code -Dinfer4j.debug=true}.
     */
    public static CommandLine commandLine() {
        return withErrorHandling(new CommandLine(new Infer4jCommand()));
    }

    static CommandLine withErrorHandling(CommandLine commandLine) {
        return commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("infer4j " + cmd.getCommandName() + ": error: " + describe(e));
            if (Boolean.getBoolean("infer4j.debug")) {
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message != null && !message.isBlank() ? message : e.getClass().getSimpleName();
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = Infer4jCommand.class.getResourceAsStream("/infer4j-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"infer4j " + p.getProperty("version", "unknown"),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
