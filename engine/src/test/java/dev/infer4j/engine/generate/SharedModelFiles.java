package dev.infer4j.engine.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the read-only {@code shared/models} directory beside the checkout; a missing one fails the test. */
final class SharedModelFiles {
    private SharedModelFiles() {
    }

    static Path file(String relative) {
        String dir = System.getProperty("infer4j.shared.dir");
        if (dir == null) {
            throw new AssertionError("system property infer4j.shared.dir is not set (surefire sets it to <repo>/../shared)");
        }
        Path p = Path.of(dir, "models").resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("missing test input " + p.toAbsolutePath().normalize()
                    + " (the shared models directory must sit beside the checkout; see its README)");
        }
        return p;
    }

    static JsonNode json(String relative) {
        try {
            return new ObjectMapper().readTree(file(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] r = new int[array.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = array.get(i).asInt();
        }
        return r;
    }
}
