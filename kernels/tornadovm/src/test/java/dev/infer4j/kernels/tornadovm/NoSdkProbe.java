package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.BackendProvider;
import dev.infer4j.kernels.Backends;

/** Run in a JVM without TornadoVM by {@link DeviceErrorsTest}: prints what the provider says. */
public final class NoSdkProbe {
    private NoSdkProbe() {
    }

    public static void main(String[] args) {
        for (BackendProvider p : Backends.providers()) {
            if (p.name().equals("tornadovm")) {
                System.out.println("tornadovm unavailable: " + p.unavailableReason());
            }
        }
    }
}
