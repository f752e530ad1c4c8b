package dev.infer4j.server.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM and SIGINT into a graceful shutdown. The JVM's default would run shutdown hooks and exit with
 * status 143; handling the signals ourselves lets the server drain and the process exit 0. A second signal while
 * draining exits at once.
 */
final class ShutdownSignals {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {
    }

    static void onTermination(Runnable gracefulStop) {
        AtomicBoolean stopping = new AtomicBoolean();
        SignalHandler handler = signal -> {
            if (stopping.compareAndSet(false, true)) {
                LOG.info("SIG{} received: draining requests, then exiting (send it again to exit now)",
                        signal.getName());
                Thread.ofPlatform().name("infer4j-shutdown").start(gracefulStop);
            } else {
                LOG.warn("SIG{} received again: exiting without waiting", signal.getName());
                Runtime.getRuntime().halt(1);
            }
        };
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException unsupported) {
                LOG.debug("signal {} cannot be handled on this platform", name);
            }
        }
    }
}
