package dev.infer4j.kernels.tornadovm;

/**
 * A failure on the TornadoVM device: no usable device, a kernel that TornadoVM or the driver could not
 * compile, device memory exhausted, or a launch the runtime rejected. The message names the device and,
 * where there is one, the kernel.
 */
public class DeviceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Wraps what TornadoVM threw while compiling or running {@code kernel} on {@code device}. */
    static DeviceException launchFailed(String device, String kernel, Throwable cause) {
        String what = isMemoryFailure(cause) ? "ran out of device memory" : isCompileFailure(cause)
                ? "failed to compile (TornadoVM JIT or the OpenCL driver; no Java fallback is allowed)"
                : "failed";
        return new DeviceException("TornadoVM kernel '" + kernel + "' on device '" + device + "' " + what + ": "
                + rootMessages(cause), cause);
    }

    private static boolean isMemoryFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String name = c.getClass().getSimpleName();
            if (name.contains("OutOfMemory") || name.equals("TornadoMemoryException")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCompileFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String name = c.getClass().getSimpleName();
            if (name.contains("Bailout") || name.contains("Compilation") || name.equals("TornadoInternalError")) {
                return true;
            }
        }
        return false;
    }

    /** The distinct messages along the cause chain, outermost first. */
    private static String rootMessages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable c = t; c != null && depth < 6; c = c.getCause(), depth++) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getClass().getSimpleName() + ": " + c.getMessage();
            if (sb.indexOf(m) < 0) {
                sb.append(sb.isEmpty() ? "" : " <- ").append(m);
            }
        }
        return sb.toString();
    }
}
