package dev.infer4j.models.weights;

import java.nio.file.Path;

/**
 * A model file that cannot be used: malformed, truncated, of the wrong kind, or missing or
 * mis-shaping a tensor the architecture needs. The message names the file, the tensor (when one is
 * at fault) and the problem.
 */
public final class ModelFormatException extends RuntimeException {
    private final transient Path file;
    private final String tensor;

    public ModelFormatException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    public ModelFormatException(Path file, String tensor, String problem, Throwable cause) {
        super(file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + problem, cause);
        this.file = file;
        this.tensor = tensor;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** The tensor at fault, or null when the file as a whole is. */
    public String tensor() {
        return tensor;
    }
}
