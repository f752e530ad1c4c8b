package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.BackendProvider;

/**
 * Registers the TornadoVM backend as {@code tornadovm}. It is available when the JVM runs with the
 * TornadoVM SDK (its argfile) and TornadoVM finds a device; otherwise {@link #unavailableReason()} says which
 * is missing. The device is TornadoVM's default, or {@code -Dinfer4j.tornadovm.device=B:D} (see {@link Devices}).
 */
public final class TornadoBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "tornadovm";
    }

    @Override
    public String unavailableReason() {
        String missing = TornadoSdk.missingReason();
        return missing != null ? missing : TornadoRuntimeProbe.unavailableReason();
    }

    /** A backend on the selected device; {@code threads} is unused (the device runs the kernels). */
    @Override
    public Backend create(int threads) {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException("the TornadoVM backend cannot run here: " + why);
        }
        return TornadoRuntimeProbe.create();
    }
}
