package dev.infer4j.models.weights;

import java.nio.file.Path;
import java.util.Collection;

/**
 * The tensors of one memory-mapped model file, by parameter name. Views stay valid until
 * {@link #close()} unmaps the file.
 */
public interface TensorStore extends AutoCloseable {

    /** The file the tensors live in (for messages). */
    Path file();

    /** Every parameter name this store can give. */
    Collection<String> names();

    /** The tensor of that name, or null when the file has none. Throws {@link ModelFormatException} if it exists but cannot be used. */
    StoredTensor find(String name);

    /** The tensor of that name; throws {@link ModelFormatException} naming the file and tensor when it is missing. */
    default StoredTensor require(String name) {
        StoredTensor t = find(name);
        if (t == null) {
            throw new ModelFormatException(file(), name, "missing tensor");
        }
        return t;
    }

    /** Unmaps the file; every tensor view becomes invalid. */
    @Override
    void close();
}
