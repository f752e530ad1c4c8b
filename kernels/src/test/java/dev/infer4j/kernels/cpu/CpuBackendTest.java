package dev.infer4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.BackendContractTest;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.DType;
import org.junit.jupiter.api.Test;

/** The CPU backend against the shared backend contract, plus what is specific to it. */
class CpuBackendTest extends BackendContractTest {
    @Override
    protected Backend createBackend(int threads) {
        return new CpuBackend(threads);
    }

    @Test
    void registeredAsCpu() {
        try (Backend b = Backends.create("cpu", 2)) {
            assertEquals("cpu", b.name());
            assertEquals(CpuBackend.class, b.getClass());
        }
    }

    @Test
    void closeReleasesTensors() {
        Backend b = new CpuBackend(1);
        var t = b.allocate(DType.F32, 4);
        b.close();
        assertThrows(IllegalStateException.class, () -> t.segment().get(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0));
        assertThrows(IllegalStateException.class, () -> b.allocate(DType.F32, 4));
    }
}
