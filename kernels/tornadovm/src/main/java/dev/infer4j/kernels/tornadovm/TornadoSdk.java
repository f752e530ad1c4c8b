package dev.infer4j.kernels.tornadovm;

/**
 * Whether the TornadoVM SDK is loaded in this JVM, checked without touching any TornadoVM type (so that
 * this module can sit on a class path without the SDK and say what is missing instead of failing to link).
 */
final class TornadoSdk {
    /** How to start a JVM that can use the backend. */
    static final String HOW_TO_RUN = "install the TornadoVM kit (bash ../shared/tornadovm/install.sh, which prints TORNADOVM_HOME"
            + " and TORNADOVM_ARGFILE) and start the JVM with java @\"$TORNADOVM_ARGFILE\" (with TORNADOVM_HOME exported)";

    private TornadoSdk() {
    }

    /** Null if the SDK's API and runtime are loaded, else what is missing and how to get it. */
    static String missingReason() {
        try {
            Class.forName("uk.ac.manchester.tornado.api.TornadoExecutionPlan", false, TornadoSdk.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return "the TornadoVM SDK is not on this JVM's module path: " + HOW_TO_RUN;
        }
        if (ModuleLayer.boot().findModule("tornado.runtime").isEmpty()) {
            return "TornadoVM's API is present but not its runtime (module tornado.runtime): " + HOW_TO_RUN;
        }
        // A kernel TornadoVM cannot compile must fail, never run as plain Java (KernelContext kernels would
        // then be wrong or hang). Applies only if set before the runtime reads its options.
        if (System.getProperty("tornado.recover.bailout") == null) {
            System.setProperty("tornado.recover.bailout", "False");
        }
        return null;
    }
}
