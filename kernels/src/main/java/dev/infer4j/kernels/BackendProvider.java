package dev.infer4j.kernels;

/**
 * Service-provider interface through which optional backend modules (e.g. TornadoVM) register;
 * found with {@link java.util.ServiceLoader} by {@link Backends}.
 */
public interface BackendProvider {
    /** The name users select it by, e.g. {@code cpu} or {@code tornadovm}. */
    String name();

    /** Null when the backend can run here, else why not (e.g. "no OpenCL device"). */
    String unavailableReason();

    /** A new backend using up to {@code threads} host threads. */
    Backend create(int threads);
}
