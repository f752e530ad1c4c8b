package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.tornadovm.kernels.AttentionKernels;
import dev.infer4j.kernels.tornadovm.kernels.ElementwiseKernels;
import dev.infer4j.kernels.tornadovm.kernels.GatherKernels;
import dev.infer4j.kernels.tornadovm.kernels.LinearKernels;
import dev.infer4j.kernels.tornadovm.kernels.MemoryKernels;
import dev.infer4j.kernels.tornadovm.kernels.Params;
import dev.infer4j.kernels.tornadovm.kernels.RowKernels;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoInternalError;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * One TornadoVM execution plan holding a task graph per {@link Kernel}, built once per generation of the
 * {@link DeviceArenas} and reused for every launch.
 *
 * <p>The first graph uploads the arenas; every other graph consumes them from whichever graph ran last
 * and persists them for the next, so data stays on the device between launches. Per launch only the
 * small parameter arrays travel to the device (and the staging buffer, for host reads and writes).
 * A graph's kernel is JIT-compiled on its first launch. Not thread-safe: the backend serialises calls.
 */
final class DevicePlan implements AutoCloseable {
    /** Floats in the small and large staging buffers (1 MiB and 16 MiB); bigger host transfers are split. */
    static final int SMALL_STAGING = 1 << 18;
    static final int LARGE_STAGING = 1 << 22;
    /** Bytes in the byte staging buffer. */
    static final int BYTE_STAGING = 1 << 22;
    private static final String TASK = "k";
    /** System property: print each kernel's generated OpenCL C and its launch sizes (debugging). */
    static final String PRINT_KERNELS = "infer4j.tornadovm.printKernels";

    private final String deviceName;
    private final TornadoExecutionPlan plan;
    private final Map<Kernel, Launch> launches = new EnumMap<>(Kernel.class);
    private final FloatArray smallStaging = new FloatArray(SMALL_STAGING);
    private final FloatArray largeStaging = new FloatArray(LARGE_STAGING);
    private final ByteArray byteStaging = new ByteArray(BYTE_STAGING);

    /** The launch state of one kernel: its graph's index in the plan, its parameter arrays and its grid. */
    private record Launch(int graph, IntArray params, FloatArray floats, WorkerGrid1D grid) {
    }

    DevicePlan(TornadoDevice device, String deviceName, DeviceArenas arenas) {
        this.deviceName = deviceName;
        KernelContext ctx = new KernelContext();
        List<ImmutableTaskGraph> graphs = new ArrayList<>();
        GridScheduler scheduler = new GridScheduler();
        for (Kernel kernel : Kernel.values()) {
            if (kernel.needsHalfs && arenas.halfs() == null) {
                continue;
            }
            IntArray params = new IntArray(Params.SCALARS + (kernel.takesList ? Params.LIST_CAPACITY : 0));
            FloatArray floats = kernel.takesFloats ? new FloatArray(Params.FLOATS) : null;
            WorkerGrid1D grid = new WorkerGrid1D(kernel.groupSize);
            grid.setLocalWork(kernel.groupSize, 1, 1);
            scheduler.addWorkerGrid(kernel.graphName() + "." + TASK, grid);
            launches.put(kernel, new Launch(graphs.size(), params, floats, grid));
            graphs.add(graph(kernel, ctx, arenas, params, floats).snapshot());
        }
        plan = new TornadoExecutionPlan(graphs.toArray(ImmutableTaskGraph[]::new));
        plan.withDevice(device).withGridScheduler(scheduler);
        if (Boolean.getBoolean(PRINT_KERNELS)) {
            plan.withPrintKernel().withThreadInfo();
        }
        launch(Kernel.TOUCH, 1);
    }

    private TaskGraph graph(Kernel kernel, KernelContext ctx, DeviceArenas a, IntArray p, FloatArray f) {
        TaskGraph g = new TaskGraph(kernel.graphName());
        if (kernel == Kernel.TOUCH) {
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, a.all());
        } else {
            g.consumeFromDevice(a.all());
        }
        g.transferToDevice(DataTransferMode.EVERY_EXECUTION, p);
        if (f != null) {
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, f);
        }
        FloatArray acts = a.activations();
        FloatArray consts = a.constants();
        ByteArray quants = a.quants();
        switch (kernel) {
            case TOUCH -> g.task(TASK, MemoryKernels::touch, ctx, acts, consts, quants, p);
            case WRITE_F32_SMALL -> g.transferToDevice(DataTransferMode.EVERY_EXECUTION, smallStaging)
                    .task(TASK, MemoryKernels::writeF32, ctx, acts, consts, smallStaging, p);
            case WRITE_F32_LARGE -> g.transferToDevice(DataTransferMode.EVERY_EXECUTION, largeStaging)
                    .task(TASK, MemoryKernels::writeF32, ctx, acts, consts, largeStaging, p);
            case READ_F32_SMALL -> g.task(TASK, MemoryKernels::readF32, ctx, acts, smallStaging, p)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, smallStaging);
            case READ_F32_LARGE -> g.task(TASK, MemoryKernels::readF32, ctx, acts, largeStaging, p)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, largeStaging);
            case WRITE_BYTES -> g.transferToDevice(DataTransferMode.EVERY_EXECUTION, byteStaging)
                    .task(TASK, MemoryKernels::writeBytes, ctx, quants, byteStaging, p);
            case COPY -> g.task(TASK, MemoryKernels::copy, ctx, acts, p);
            case ADD -> g.task(TASK, ElementwiseKernels::add, ctx, acts, p);
            case SCALE -> g.task(TASK, ElementwiseKernels::scale, ctx, acts, p, f);
            case GELU -> g.task(TASK, ElementwiseKernels::gelu, ctx, acts, p);
            case GELU_TANH -> g.task(TASK, ElementwiseKernels::geluTanh, ctx, acts, p);
            case SILU -> g.task(TASK, ElementwiseKernels::silu, ctx, acts, p);
            case SWIGLU -> g.task(TASK, ElementwiseKernels::swiglu, ctx, acts, p);
            case RMS_NORM -> g.task(TASK, RowKernels::rmsNorm, ctx, acts, consts, p, f);
            case LAYER_NORM -> g.task(TASK, RowKernels::layerNorm, ctx, acts, consts, p, f);
            case SOFTMAX -> g.task(TASK, RowKernels::softmax, ctx, acts, p);
            case L2_NORMALIZE -> g.task(TASK, RowKernels::l2Normalize, ctx, acts, p);
            case GEMV_F32 -> g.task(TASK, LinearKernels::gemvF32, ctx, acts, consts, p);
            case GEMV_Q8 -> g.task(TASK, LinearKernels::gemvQ8, ctx, acts, consts, quants, p);
            case GEMV_Q4 -> g.task(TASK, LinearKernels::gemvQ4, ctx, acts, consts, quants, p);
            case GEMV_F16 -> g.task(TASK, LinearKernels::gemvF16, ctx, acts, consts, a.halfs(), p);
            case GEMM_F32 -> g.task(TASK, LinearKernels::gemmF32, ctx, acts, consts, p);
            case GEMM_Q8 -> g.task(TASK, LinearKernels::gemmQ8, ctx, acts, consts, quants, p);
            case GEMM_Q4 -> g.task(TASK, LinearKernels::gemmQ4, ctx, acts, consts, quants, p);
            case GEMM_F16 -> g.task(TASK, LinearKernels::gemmF16, ctx, acts, consts, a.halfs(), p);
            case GATHER_F32 -> g.task(TASK, GatherKernels::gatherF32, ctx, acts, consts, p);
            case GATHER_Q8 -> g.task(TASK, GatherKernels::gatherQ8, ctx, acts, consts, quants, p);
            case GATHER_Q4 -> g.task(TASK, GatherKernels::gatherQ4, ctx, acts, consts, quants, p);
            case GATHER_F16 -> g.task(TASK, GatherKernels::gatherF16, ctx, acts, a.halfs(), p);
            case MEAN_POOL -> g.task(TASK, GatherKernels::meanPool, ctx, acts, p);
            case ROPE -> g.task(TASK, AttentionKernels::rope, ctx, acts, consts, p, f);
            case ATTENTION -> g.task(TASK, AttentionKernels::attention, ctx, acts, p, f);
        }
        return g.persistOnDevice(a.all());
    }

    /** The int parameters of {@code kernel}'s next launch. */
    IntArray params(Kernel kernel) {
        return launches.get(kernel).params();
    }

    /** The float parameters of {@code kernel}'s next launch. */
    FloatArray floats(Kernel kernel) {
        return launches.get(kernel).floats();
    }

    FloatArray stagingFor(int floats) {
        return floats <= SMALL_STAGING ? smallStaging : largeStaging;
    }

    ByteArray byteStaging() {
        return byteStaging;
    }

    /** Runs {@code kernel} over {@code workGroups} work-groups of its size and waits for it. */
    void launchGroups(Kernel kernel, long workGroups) {
        launch(kernel, workGroups * kernel.groupSize);
    }

    /** Runs {@code kernel} over at least {@code workItems} work-items (rounded up to whole groups) and waits for it. */
    void launch(Kernel kernel, long workItems) {
        Launch l = launches.get(kernel);
        if (l == null) {
            throw new DeviceException("TornadoVM kernel '" + kernel.graphName() + "' needs fp16 (cl_khr_fp16), which device '"
                    + deviceName + "' lacks");
        }
        long groups = Math.max(1, (workItems + kernel.groupSize - 1) / kernel.groupSize);
        long global = groups * kernel.groupSize;
        if (global > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("kernel '" + kernel.graphName() + "' would need " + global + " work-items");
        }
        l.grid().setGlobalWork(global, 1, 1);
        execute(plan, l.graph(), deviceName, kernel.graphName());
    }

    /** Runs graph {@code graph} of {@code plan}, turning whatever TornadoVM throws into a {@link DeviceException}. */
    static void execute(TornadoExecutionPlan plan, int graph, String deviceName, String kernelName) {
        try {
            plan.withGraph(graph).execute();
        } catch (RuntimeException | TornadoInternalError e) {
            throw DeviceException.launchFailed(deviceName, kernelName, e);
        }
    }

    @Override
    public void close() {
        try {
            plan.close();
        } catch (Exception e) {
            throw new DeviceException("TornadoVM could not release the plan's buffers on device '" + deviceName + "'", e);
        }
    }
}
