package dev.infer4j.kernels.tornadovm;

/**
 * A device TornadoVM can run kernels on.
 *
 * @param backend       TornadoVM backend index (the {@code B} of {@code -Dtornado.device=B:D}, {@code infer4j.tornadovm.device=B:D})
 * @param index         device index within the backend (the {@code D})
 * @param backendType   e.g. OPENCL or PTX
 * @param name          the device's name
 * @param platform      the driver platform
 * @param type          GPU, CPU, ACCELERATOR...
 * @param globalMemory  bytes of device memory
 * @param maxAllocation largest single buffer, bytes
 * @param fp16          whether half-precision arithmetic is available (F16 weights stay F16 on the device)
 * @param isDefault     whether the backend uses this device unless told otherwise
 */
public record DeviceInfo(int backend, int index, String backendType, String name, String platform, String type,
                         long globalMemory, long maxAllocation, boolean fp16, boolean isDefault) {

    @Override
    public String toString() {
        return String.format("%d:%d  %-6s %-4s %s (%s), %d MiB, max buffer %d MiB, fp16 %s%s", backend, index, backendType, type,
                name, platform, globalMemory >> 20, maxAllocation >> 20, fp16 ? "yes" : "no", isDefault ? "  [default]" : "");
    }
}
