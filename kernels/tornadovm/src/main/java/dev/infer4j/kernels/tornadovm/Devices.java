package dev.infer4j.kernels.tornadovm;

import java.util.List;

/**
 * Lists the devices TornadoVM sees, for {@code infer4j devices}. Run it in a JVM started with the SDK's
 * argfile: {@code java @"$TORNADOVM_ARGFILE" -cp ... dev.infer4j.kernels.tornadovm.Devices}.
 */
public final class Devices {
    private Devices() {
    }

    /** Every device of every TornadoVM backend; throws {@link DeviceException} saying what is missing. */
    public static List<DeviceInfo> list() {
        String missing = TornadoSdk.missingReason();
        if (missing != null) {
            throw new DeviceException(missing);
        }
        return TornadoRuntimeProbe.devices();
    }

    /** Prints one line per device (or why there are none) and exits with status 1 when there are none. */
    public static void main(String[] args) {
        try {
            List<DeviceInfo> devices = list();
            if (devices.isEmpty()) {
                System.err.println("TornadoVM found no device (check clinfo -l; on a CPU-only machine install PoCL)");
                System.exit(1);
            }
            System.out.println("TornadoVM devices (select with -D" + TornadoRuntimeProbe.DEVICE_PROPERTY + "=B:D):");
            for (DeviceInfo d : devices) {
                System.out.println("  " + d);
            }
        } catch (DeviceException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
