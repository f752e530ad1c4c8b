package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.Backends;

/**
 * One TornadoVM backend for the test classes of this JVM: each backend builds its own plan, and on PoCL
 * every kernel's first launch costs a JIT compilation of about a second, so the tests share one.
 */
final class SharedBackend {
    private static TornadoBackend backend;

    private SharedBackend() {
    }

    static synchronized TornadoBackend get() {
        if (backend == null) {
            backend = (TornadoBackend) Backends.create("tornadovm", 1);
        }
        return backend;
    }
}
