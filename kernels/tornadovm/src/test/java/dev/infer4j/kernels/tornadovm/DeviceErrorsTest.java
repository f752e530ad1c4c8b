package dev.infer4j.kernels.tornadovm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.BackendProvider;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.WeightLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Failures surface as exceptions that name the device and the kernel, promptly: a kernel TornadoVM cannot
 * compile, device memory exhausted, a device that does not exist, a JVM without the SDK, and arguments
 * that do not belong to this backend.
 */
class DeviceErrorsTest extends DeviceTestSupport {

    /** {@code Math.floor(double)} reinterprets bits, which TornadoVM 5.2's OpenCL code generator cannot emit. */
    public static void uncompilable(KernelContext ctx, FloatArray out, IntArray values) {
        int i = ctx.globalIdx;
        out.set(i, (float) Math.floor(values.get(i) / 3.0));
    }

    @Test
    void aKernelThatDoesNotCompileFailsNamingKernelAndDevice() {
        FloatArray out = new FloatArray(64);
        IntArray bits = new IntArray(64);
        TaskGraph graph = new TaskGraph("bad").transferToDevice(DataTransferMode.EVERY_EXECUTION, bits)
                .task("k", DeviceErrorsTest::uncompilable, new KernelContext(), out, bits)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        WorkerGrid1D grid = new WorkerGrid1D(64);
        grid.setLocalWork(64, 1, 1);
        DeviceException e = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
                plan.withGridScheduler(new GridScheduler("bad.k", grid));
                return assertThrows(DeviceException.class, () -> DevicePlan.execute(plan, 0, backend.deviceName(), "uncompilable"));
            }
        });
        assertTrue(e.getMessage().contains("'uncompilable'") && e.getMessage().contains(backend.deviceName())
                && e.getMessage().contains("failed to compile"), e.getMessage());
    }

    @Test
    void exhaustingTheDeviceMemoryBudgetIsAClearError() {
        System.setProperty(TornadoRuntimeProbe.MEMORY_PROPERTY, "64MB");
        try (Backend small = Backends.create("tornadovm", 1)) {
            Tensor t = small.allocate(DType.F32, 20L << 20);   // 80 MB of activations
            DeviceException e = assertThrows(DeviceException.class, () -> small.scale(t, 2f));
            assertTrue(e.getMessage().startsWith("out of device memory on '") && e.getMessage().contains("64 MiB"), e.getMessage());
        } finally {
            System.clearProperty(TornadoRuntimeProbe.MEMORY_PROPERTY);
        }
    }

    @Test
    void aMissingDeviceIsNamedWithTheDevicesThatExist() {
        System.setProperty(TornadoRuntimeProbe.DEVICE_PROPERTY, "7:3");
        try {
            BackendProvider provider = new TornadoBackendProvider();
            String why = provider.unavailableReason();
            assertNotNull(why);
            assertTrue(why.contains("7:3") && why.contains(backend.session().deviceName().split(" \\(")[0]), why);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.create("tornadovm", 1));
            assertTrue(e.getMessage().contains("7:3"), e.getMessage());
        } finally {
            System.clearProperty(TornadoRuntimeProbe.DEVICE_PROPERTY);
        }
        assertNull(new TornadoBackendProvider().unavailableReason());
    }

    @Test
    void devicesListsTheDefaultDevice() {
        List<DeviceInfo> devices = Devices.list();
        assertFalse(devices.isEmpty());
        assertTrue(devices.stream().anyMatch(DeviceInfo::isDefault), devices.toString());
        assertTrue(devices.stream().anyMatch(d -> backend.deviceName().startsWith(d.name())), devices.toString());
    }

    @Test
    void withoutTheSdkTheProviderSaysWhatIsMissing() throws IOException, InterruptedException {
        // a plain JVM: the test class path (which leaves out tornado-api) and no TornadoVM argfile
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), NoSdkProbe.class.getName()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() == 0 && output.contains("tornadovm unavailable: the TornadoVM SDK is not on this JVM's module path")
                && output.contains("TORNADOVM_ARGFILE"), output);
    }

    @Test
    void foreignTensorsAndWeightsAreRejected() {
        try (Backend cpu = Backends.create("cpu", 1)) {
            Tensor cpuTensor = cpu.allocate(DType.F32, 2, 3);
            Tensor ours = backend.allocate(DType.F32, 2, 3);
            assertThrows(IllegalArgumentException.class, () -> backend.add(cpuTensor, ours, ours));
            var cpuWeight = cpu.prepareWeight(host(new float[9], 3, 3), WeightLayout.OUT_IN);
            assertThrows(IllegalArgumentException.class, () -> backend.matmul(ours, cpuWeight, null, ours));
            assertThrows(IllegalArgumentException.class, () -> backend.rmsNorm(ours, ours.rowSlice(0, 1).reshape(3), 1e-5f, ours));
        }
        Backend closed = Backends.create("tornadovm", 1);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.allocate(DType.F32, 4));
    }
}
