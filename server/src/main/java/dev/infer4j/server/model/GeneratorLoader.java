package dev.infer4j.server.model;

/** Loads the text generation models among the {@code --model} arguments; the others are embedding models. */
public interface GeneratorLoader {
    /** Whether {@code nameOrPath} names a text generation model (a decoder GGUF file). */
    boolean accepts(String nameOrPath);

    /** Loads the model and starts its scheduler. */
    ServedGenerator load(String nameOrPath, int threads) throws Exception;

    /** Takes no model: every {@code --model} is an embedding model. */
    GeneratorLoader NONE = new GeneratorLoader() {
        @Override
        public boolean accepts(String nameOrPath) {
            return false;
        }

        @Override
        public ServedGenerator load(String nameOrPath, int threads) {
            throw new IllegalStateException("no generator loader");
        }
    };
}
