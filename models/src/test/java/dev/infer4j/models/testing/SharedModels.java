package dev.infer4j.models.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files in the read-only {@code shared/} directory beside the checkout (models and llama.cpp references). */
public final class SharedModels {
    private SharedModels() {
    }

    /** The shared file at {@code relative}; fails (never skips) with a clear message when it is missing. */
    public static Path file(String relative) {
        String dir = System.getProperty("infer4j.shared.dir");
        if (dir == null) {
            throw new AssertionError("system property infer4j.shared.dir is not set (surefire sets it to <repo>/../shared)");
        }
        Path p = Path.of(dir).resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("missing test input " + p.toAbsolutePath().normalize()
                    + " (the shared models directory must sit beside the checkout; see its README)");
        }
        return p;
    }
}
