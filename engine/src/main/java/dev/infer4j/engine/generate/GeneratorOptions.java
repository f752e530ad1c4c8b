package dev.infer4j.engine.generate;

/**
 * How a {@link Generator} is set up.
 *
 * @param backend       compute backend name ({@code cpu})
 * @param threads       host threads for the backend
 * @param contextLength positions per session (prompt plus generated); 0 = the model's training context, at most 4096
 * @param sessions      sessions that can exist at once (each owns one KV-cache slot of {@code contextLength})
 * @param batchSize     most prompt tokens processed in one forward pass (longer prompts go in chunks)
 */
public record GeneratorOptions(String backend, int threads, int contextLength, int sessions, int batchSize) {
    /** Context used when the caller leaves it to the model and the model was trained on more. */
    public static final int DEFAULT_MAX_CONTEXT = 4096;

    public GeneratorOptions {
        if (backend == null || backend.isBlank()) {
            throw new IllegalArgumentException("backend name is required");
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (contextLength < 0) {
            throw new IllegalArgumentException("context length must be >= 0 (0 = from the model), got " + contextLength);
        }
        if (sessions <= 0 || sessions > 1024) {
            throw new IllegalArgumentException("sessions must lie in [1, 1024], got " + sessions);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
    }

    /** CPU, one thread per core, the model's context (at most 4096), one session, prompt batches of 512. */
    public static GeneratorOptions defaults() {
        return new GeneratorOptions(dev.infer4j.kernels.Backends.defaultName(), Runtime.getRuntime().availableProcessors(), 0, 1, 512);
    }

    public GeneratorOptions withThreads(int n) {
        return new GeneratorOptions(backend, n, contextLength, sessions, batchSize);
    }

    public GeneratorOptions withContextLength(int n) {
        return new GeneratorOptions(backend, threads, n, sessions, batchSize);
    }

    public GeneratorOptions withSessions(int n) {
        return new GeneratorOptions(backend, threads, contextLength, n, batchSize);
    }

    public GeneratorOptions withBatchSize(int n) {
        return new GeneratorOptions(backend, threads, contextLength, sessions, n);
    }

    public GeneratorOptions withBackend(String name) {
        return new GeneratorOptions(name, threads, contextLength, sessions, batchSize);
    }
}
