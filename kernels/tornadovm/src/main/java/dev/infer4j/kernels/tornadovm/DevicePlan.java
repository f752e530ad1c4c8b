package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.tornadovm.kernels.AttentionKernels;
import dev.infer4j.kernels.tornadovm.kernels.ElementwiseKernels;
import dev.infer4j.kernels.tornadovm.kernels.GatherKernels;
import dev.infer4j.kernels.tornadovm.kernels.LinearKernels;
import dev.infer4j.kernels.tornadovm.kernels.MemoryKernels;
import dev.infer4j.kernels.tornadovm.kernels.Params;
import dev.infer4j.kernels.tornadovm.kernels.RowKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * One TornadoVM execution plan holding a task graph per {@link Kernel}, plus one per {@link RecordedStep},
 * built once per generation of the {@link DeviceArenas} (and of the recorded steps) and reused for every launch.
 *
 * <p>The first graph uploads the arenas; every other graph consumes them from whichever graph ran last
 * and persists them for the next, so data stays on the device between launches. Per launch only the
 * small parameter arrays travel to the device (and the staging buffer, for host reads and writes).
 * A graph's kernels are JIT-compiled on its first launch. While a replay scope collects launches
 * ({@link CapturedLaunches#active()}), {@link #launch} collects instead of running, except for the transfers.
 * Not thread-safe: the backend serialises calls.
 */
final class DevicePlan implements AutoCloseable {
    /** Floats in the small and large staging buffers (1 MiB and 16 MiB); bigger host transfers are split. */
    static final int SMALL_STAGING = 1 << 18;
    static final int LARGE_STAGING = 1 << 22;
    /** Bytes in the byte staging buffer. */
    static final int BYTE_STAGING = 1 << 22;
    private static final String TASK = "k";
    /**
     * Most launches of a recorded step in one task graph: TornadoVM's graph holds 1,024 nodes (its "resize" is not
     * implemented) and a task takes up to about 8 (its parameter arrays, their transfers, the task); so a step
     * of more launches runs as several graphs, each one execute (a Llama layer is about 16 launches).
     */
    static final int TASKS_PER_GRAPH = 64;
    /** System property: print each kernel's generated OpenCL C and its launch sizes (debugging). */
    static final String PRINT_KERNELS = "infer4j.tornadovm.printKernels";

    private final String deviceName;
    private final TornadoExecutionPlan plan;
    private final Map<Kernel, Launch> launches = new EnumMap<>(Kernel.class);
    private final CapturedLaunches capture;
    private final int steps;
    private final int graphCount;
    private final FloatArray smallStaging = new FloatArray(SMALL_STAGING);
    private final FloatArray largeStaging = new FloatArray(LARGE_STAGING);
    private final ByteArray byteStaging = new ByteArray(BYTE_STAGING);
    private long executes;

    /** The launch state of one kernel: its graph's index in the plan, its parameter arrays, its grid, and the list entries its next launch uses. */
    private static final class Launch {
        final int graph;
        final IntArray params;
        final FloatArray floats;
        final WorkerGrid1D grid;
        int listLength;

        Launch(int graph, IntArray params, FloatArray floats, WorkerGrid1D grid) {
            this.graph = graph;
            this.params = params;
            this.floats = floats;
            this.grid = grid;
        }
    }

    DevicePlan(TornadoDevice device, String deviceName, DeviceArenas arenas, List<RecordedStep> recorded,
            CapturedLaunches capture) {
        this.deviceName = deviceName;
        this.capture = capture;
        this.steps = recorded.size();
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
        for (RecordedStep step : recorded) {
            step.firstGraph(graphs.size());
            for (int from = 0; from < step.tasks(); from += TASKS_PER_GRAPH) {
                String name = "step" + graphs.size();
                TaskGraph g = new TaskGraph(name).consumeFromDevice(arenas.all());
                for (int t = from; t < Math.min(step.tasks(), from + TASKS_PER_GRAPH); t++) {
                    g.transferToDevice(DataTransferMode.EVERY_EXECUTION, step.params(t));
                    if (step.floats(t) != null) {
                        g.transferToDevice(DataTransferMode.EVERY_EXECUTION, step.floats(t));
                    }
                    task(g, "t" + t, step.kernel(t), ctx, arenas, step.params(t), step.floats(t));
                    scheduler.addWorkerGrid(name + ".t" + t, step.grid(t));
                }
                graphs.add(g.persistOnDevice(arenas.all()).snapshot());
            }
        }
        graphCount = graphs.size();
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
            default -> task(g, TASK, kernel, ctx, a, p, f);
        }
        return g.persistOnDevice(a.all());
    }

    /** Adds a task running the compute kernel {@code kernel} with parameters {@code p} and {@code f} to {@code g}. */
    private static void task(TaskGraph g, String name, Kernel kernel, KernelContext ctx, DeviceArenas a, IntArray p, FloatArray f) {
        FloatArray acts = a.activations();
        FloatArray consts = a.constants();
        ByteArray quants = a.quants();
        switch (kernel) {
            case COPY -> g.task(name, MemoryKernels::copy, ctx, acts, p);
            case SCATTER_ROWS -> g.task(name, MemoryKernels::scatterRows, ctx, acts, p);
            case ADD -> g.task(name, ElementwiseKernels::add, ctx, acts, p);
            case SCALE -> g.task(name, ElementwiseKernels::scale, ctx, acts, p, f);
            case GELU -> g.task(name, ElementwiseKernels::gelu, ctx, acts, p);
            case GELU_TANH -> g.task(name, ElementwiseKernels::geluTanh, ctx, acts, p);
            case SILU -> g.task(name, ElementwiseKernels::silu, ctx, acts, p);
            case SWIGLU -> g.task(name, ElementwiseKernels::swiglu, ctx, acts, p);
            case RMS_NORM -> g.task(name, RowKernels::rmsNorm, ctx, acts, consts, p, f);
            case LAYER_NORM -> g.task(name, RowKernels::layerNorm, ctx, acts, consts, p, f);
            case SOFTMAX -> g.task(name, RowKernels::softmax, ctx, acts, p);
            case L2_NORMALIZE -> g.task(name, RowKernels::l2Normalize, ctx, acts, p);
            case GEMV_F32 -> g.task(name, LinearKernels::gemvF32, ctx, acts, consts, p);
            case GEMV_Q8 -> g.task(name, LinearKernels::gemvQ8, ctx, acts, consts, quants, p);
            case GEMV_Q4 -> g.task(name, LinearKernels::gemvQ4, ctx, acts, consts, quants, p);
            case GEMV_F16 -> g.task(name, LinearKernels::gemvF16, ctx, acts, consts, a.halfs(), p);
            case GEMM_F32 -> g.task(name, LinearKernels::gemmF32, ctx, acts, consts, p);
            case GEMM_Q8 -> g.task(name, LinearKernels::gemmQ8, ctx, acts, consts, quants, p);
            case GEMM_Q4 -> g.task(name, LinearKernels::gemmQ4, ctx, acts, consts, quants, p);
            case GEMM_F16 -> g.task(name, LinearKernels::gemmF16, ctx, acts, consts, a.halfs(), p);
            case GATHER_F32 -> g.task(name, GatherKernels::gatherF32, ctx, acts, consts, p);
            case GATHER_Q8 -> g.task(name, GatherKernels::gatherQ8, ctx, acts, consts, quants, p);
            case GATHER_Q4 -> g.task(name, GatherKernels::gatherQ4, ctx, acts, consts, quants, p);
            case GATHER_F16 -> g.task(name, GatherKernels::gatherF16, ctx, acts, a.halfs(), p);
            case MEAN_POOL -> g.task(name, GatherKernels::meanPool, ctx, acts, p);
            case ROPE -> g.task(name, AttentionKernels::rope, ctx, acts, consts, p, f);
            case ATTENTION -> g.task(name, AttentionKernels::attention, ctx, acts, p, f);
            default -> throw new IllegalArgumentException(kernel + " is a transfer, not a compute kernel");
        }
    }

    /** How many recorded steps this plan has graphs for. */
    int steps() {
        return steps;
    }

    /** How many times this plan ran a graph. */
    long executes() {
        return executes;
    }

    /** The int parameters of {@code kernel}'s next launch. */
    IntArray params(Kernel kernel) {
        return launches.get(kernel).params;
    }

    /** The float parameters of {@code kernel}'s next launch. */
    FloatArray floats(Kernel kernel) {
        return launches.get(kernel).floats;
    }

    /** Copies {@code count} entries of {@code values} from {@code from} into the list of {@code kernel}'s next launch. */
    void list(Kernel kernel, int[] values, int from, int count) {
        Launch l = launches.get(kernel);
        MemorySegment.copy(values, from, l.params.getSegment(), ValueLayout.JAVA_INT, (long) Params.LIST * Integer.BYTES, count);
        l.listLength = count;
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

    /**
     * Runs {@code kernel} over at least {@code workItems} work-items (rounded up to whole groups) and waits for it;
     * inside a replay scope a compute kernel is collected instead.
     */
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
        if (capture.active() && kernel.recordable()) {
            capture.add(kernel, l.params, kernel.takesList ? l.listLength : 0, l.floats, global);
            return;
        }
        l.grid.setGlobalWork(global, 1, 1);
        execute(l.graph, kernel.graphName());
    }

    /** Runs collected launches one by one, each through its kernel's own graph. */
    void launchEach(CapturedLaunches captured) {
        for (int i = 0; i < captured.size(); i++) {
            Kernel kernel = captured.kernel(i);
            Launch l = launches.get(kernel);
            captured.copyParams(i, l.params, l.floats);
            l.grid.setGlobalWork(captured.globalSize(i), 1, 1);
            execute(l.graph, kernel.graphName());
        }
    }

    /** Runs a recorded step (already loaded with this scope's values) as its graphs, one execute each. */
    void launchStep(RecordedStep step) {
        if (step.firstGraph() < 0 || step.firstGraph() + step.graphs() > graphCount) {
            throw new IllegalStateException("the recorded step " + step.key() + " has no graphs in this plan");
        }
        for (int g = 0; g < step.graphs(); g++) {
            execute(step.firstGraph() + g, "recorded step " + step.key() + " (" + step.tasks() + " kernels), graph " + g);
        }
    }

    private void execute(int graph, String kernelName) {
        executes++;
        execute(plan, graph, deviceName, kernelName);
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
