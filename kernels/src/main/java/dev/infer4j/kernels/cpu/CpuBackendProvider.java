package dev.infer4j.kernels.cpu;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.BackendProvider;

/** Registers {@link CpuBackend} under the name {@code cpu}; it runs wherever Java does. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public Backend create(int threads) {
        return new CpuBackend(threads);
    }
}
