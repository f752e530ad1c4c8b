package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.BackendContractTest;
import dev.infer4j.kernels.Backends;

/**
 * The shared {@link BackendContractTest} (every op against double-precision references, odd sizes,
 * in-place calls, masks, grouped-query heads) on the TornadoVM device, at the CPU backend's tolerances.
 * The thread count means nothing to a device, so both "thread counts" use one backend (one plan, so each
 * kernel is JIT-compiled once).
 */
class TornadoBackendContractTest extends BackendContractTest {
    private Backend backend;

    @Override
    protected Backend createBackend(int threads) {
        if (backend == null) {
            backend = Backends.create("tornadovm", threads);
        }
        return backend;
    }
}
