package dev.infer4j.server.cli;

/** Opens a model of some kind by name or path (the engine's {@code Infer4j} in production, fakes in tests). */
@FunctionalInterface
interface ModelOpener<T> {
    T open(String nameOrPath, int threads) throws Exception;
}
