package dev.infer4j.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds compute backends by name among the {@link BackendProvider}s on the class path. */
public final class Backends {
    private Backends() {
    }

    /** Every registered provider, available here or not. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> all = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(all::add);
        return all;
    }

    /** A new backend of the given name using {@code threads} host threads; throws saying what is missing. */
    public static Backend create(String name, int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        List<String> names = new ArrayList<>();
        for (BackendProvider p : providers()) {
            names.add(p.name());
            if (p.name().equalsIgnoreCase(name)) {
                String why = p.unavailableReason();
                if (why != null) {
                    throw new IllegalStateException("backend '" + name + "' cannot run here: " + why);
                }
                return p.create(threads);
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; available: " + names
                + ("tornadovm".equalsIgnoreCase(name)
                        ? " (the TornadoVM backend needs the -Ptornadovm build and the TornadoVM SDK; see README)" : ""));
    }

    /**
     * The backend this JVM runs models on unless told otherwise: the system property {@code infer4j.backend}
     * (set by {@code ./infer4j --backend NAME}), else {@code cpu}.
     */
    public static String defaultName() {
        String name = System.getProperty("infer4j.backend", "cpu").trim();
        return name.isEmpty() ? "cpu" : name;
    }

    /** The CPU backend with one thread per available core. */
    public static Backend cpu() {
        return create("cpu", Runtime.getRuntime().availableProcessors());
    }
}
