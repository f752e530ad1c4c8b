package dev.infer4j.kernels.tornadovm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import uk.ac.manchester.tornado.api.TornadoRuntime;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;
import uk.ac.manchester.tornado.api.exceptions.TornadoInternalError;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

/**
 * Everything that asks the TornadoVM runtime about devices. Only loaded once {@link TornadoSdk} found the SDK.
 */
final class TornadoRuntimeProbe {
    /** System property selecting the device, {@code backend:device} as {@link Devices} lists them. */
    static final String DEVICE_PROPERTY = "infer4j.tornadovm.device";
    /** System property capping the device memory the backend may use, e.g. {@code 2GB}. */
    static final String MEMORY_PROPERTY = "infer4j.tornadovm.memory";
    /** System property that turns the fp16 path off ({@code false}) even on devices that have it. */
    static final String FP16_PROPERTY = "infer4j.tornadovm.fp16";
    /** Floats reserved for activations before the first allocation (grows as needed). */
    static final long INITIAL_ACTIVATION_FLOATS = 1 << 22;

    private TornadoRuntimeProbe() {
    }

    /**
     * TornadoVM's bytecode buffer per task graph (4 KB by default, read once when its runtime starts): a recorded
     * decode step is hundreds of tasks, each with its own parameter transfers, so it needs far more.
     */
    private static final String BYTECODE_PROPERTY = "tornado.tvm.maxbytecodesize";
    private static final String BYTECODE_BYTES = String.valueOf(1 << 20);

    private static TornadoRuntime runtime() {
        if (System.getProperty(BYTECODE_PROPERTY) == null) {
            System.setProperty(BYTECODE_PROPERTY, BYTECODE_BYTES);
        }
        try {
            return TornadoRuntimeProvider.getTornadoRuntime();
        } catch (RuntimeException | TornadoInternalError | ExceptionInInitializerError e) {
            throw new DeviceException("the TornadoVM runtime could not start (no OpenCL platform or driver?): " + e, e);
        }
    }

    static List<DeviceInfo> devices() {
        TornadoRuntime runtime = runtime();
        TornadoDevice fallback = runtime.getDefaultDevice();
        List<DeviceInfo> all = new ArrayList<>();
        for (int b = 0; b < runtime.getNumBackends(); b++) {
            uk.ac.manchester.tornado.api.TornadoBackend backend = runtime.getBackend(b);
            for (int d = 0; d < backend.getNumDevices(); d++) {
                TornadoDevice device = backend.getDevice(d);
                all.add(new DeviceInfo(b, d, String.valueOf(backend.getBackendType()), device.getPhysicalDevice().getDeviceName(),
                        device.getPlatformName(), String.valueOf(device.getDeviceType()).replace("CL_DEVICE_TYPE_", ""),
                        device.getMaxGlobalMemory(), device.getMaxAllocMemory(), hasFp16(device),
                        sameDevice(device, fallback)));
            }
        }
        return all;
    }

    /** Null when a device is usable, else why not. */
    static String unavailableReason() {
        try {
            selectDevice();
            return null;
        } catch (DeviceException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    static TornadoBackend create() {
        TornadoDevice device = selectDevice();
        String name = device.getPhysicalDevice().getDeviceName() + " (" + device.getPlatformName() + ")";
        boolean fp16 = hasFp16(device) && !"false".equalsIgnoreCase(System.getProperty(FP16_PROPERTY));
        long budget = Math.min(device.getMaxGlobalMemory(), parseSize(System.getProperty("tornado.device.memory", "4GB")));
        String cap = System.getProperty(MEMORY_PROPERTY);
        if (cap != null) {
            budget = Math.min(budget, parseSize(cap));
        }
        return new TornadoBackend(new DeviceSession(device, name, fp16, budget, INITIAL_ACTIVATION_FLOATS));
    }

    private static TornadoDevice selectDevice() {
        TornadoRuntime runtime = runtime();
        String choice = System.getProperty(DEVICE_PROPERTY);
        if (choice == null) {
            if (runtime.getNumBackends() == 0 || runtime.getBackend(0).getNumDevices() == 0) {
                throw new DeviceException("TornadoVM found no device (check clinfo -l; on a CPU-only machine install PoCL)");
            }
            return runtime.getDefaultDevice();
        }
        String[] parts = choice.split(":");
        try {
            int b = Integer.parseInt(parts[0].trim());
            int d = Integer.parseInt(parts[1].trim());
            if (parts.length != 2 || b < 0 || b >= runtime.getNumBackends() || d < 0 || d >= runtime.getBackend(b).getNumDevices()) {
                throw new IllegalArgumentException();
            }
            return runtime.getBackend(b).getDevice(d);
        } catch (RuntimeException e) {
            throw new DeviceException("-D" + DEVICE_PROPERTY + "=" + choice + " names no device; the devices are: " + devices());
        }
    }

    private static boolean sameDevice(TornadoDevice a, TornadoDevice b) {
        return b != null && a.getBackendIndex() == b.getBackendIndex() && a.getDeviceName().equals(b.getDeviceName());
    }

    /** CUDA (PTX) devices all have fp16; OpenCL devices say so in their extensions. */
    static boolean hasFp16(TornadoDevice device) {
        if (device.getTornadoVMBackend() == TornadoVMBackendType.PTX) {
            return true;
        }
        String info = String.valueOf(device.getPhysicalDevice().getDeviceInfo());
        return info.contains("cl_khr_fp16");
    }

    /** Parses sizes as TornadoVM writes them: {@code 4GB}, {@code 512MB}, {@code 1024KB} or bytes. */
    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("GB")) {
            unit = 1L << 30;
        } else if (t.endsWith("MB")) {
            unit = 1L << 20;
        } else if (t.endsWith("KB")) {
            unit = 1L << 10;
        }
        String digits = unit == 1 ? t.replace("B", "") : t.substring(0, t.length() - 2);
        try {
            return Long.parseLong(digits.trim()) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read the memory size '" + s + "' (write e.g. 4GB or 512MB)");
        }
    }
}
