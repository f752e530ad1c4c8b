package dev.infer4j.server.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts a command works on: its {@code --text} options, or else the lines of standard input (UTF-8), read in
 * batches so that output can stream. An empty line is an error naming it, since every line is one input.
 */
final class TextInput {
    /** Receives one batch of texts and the 1-based number of its first text. */
    @FunctionalInterface
    interface BatchConsumer {
        void accept(List<String> texts, int firstNumber) throws Exception;
    }

    private final List<String> options;
    private final InputStream stdin;

    TextInput(List<String> options, InputStream stdin) {
        this.options = options;
        this.stdin = stdin;
    }

    /** Calls {@code consumer} per batch of at most {@code batchSize} texts; fails when there is none at all. */
    void forEachBatch(int batchSize, BatchConsumer consumer) throws Exception {
        if (!options.isEmpty()) {
            consumer.accept(options, 1);
            return;
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        List<String> batch = new ArrayList<>(batchSize);
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isEmpty()) {
                throw new IllegalArgumentException("line " + lineNumber + " of standard input is empty; each line "
                        + "is one input");
            }
            batch.add(line);
            if (batch.size() == batchSize) {
                consumer.accept(List.copyOf(batch), lineNumber - batch.size() + 1);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            consumer.accept(List.copyOf(batch), lineNumber - batch.size() + 1);
        }
        if (lineNumber == 0) {
            throw new IllegalArgumentException("no input: give --text or lines on standard input");
        }
    }

    /** Every text at once. */
    List<String> readAll() throws Exception {
        List<String> all = new ArrayList<>();
        forEachBatch(1024, (texts, first) -> all.addAll(texts));
        return all;
    }

    /** Where an input is, for error messages: "line N" of standard input or "--text number N". */
    String describe(int number) {
        return options.isEmpty() ? "line " + number : "--text number " + number;
    }

    /** Usage check of the options: none may be empty. Returns the 1-based number of an empty one, or 0. */
    int firstEmptyOption() {
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).isEmpty()) {
                return i + 1;
            }
        }
        return 0;
    }
}
