package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.tornadovm.kernels.Params;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * A sequence of launches recorded under one {@code Backend.replay} key, which the {@link DevicePlan} turns
 * into one task graph: one task per launch, each with parameter arrays of its own (the same kernel may appear
 * many times with different parameters) sent to the device with every execution, and a grid of its own.
 * (A step of more than {@value DevicePlan#TASKS_PER_GRAPH} launches becomes several graphs run back to back: a
 * TornadoVM task graph holds at most 1,024 nodes, several per task.)
 * A later scope with the same key and the same structure (the same kernels in the same order, with lists of
 * the same lengths) loads its parameters and global sizes into these arrays and runs the graph once.
 */
final class RecordedStep {
    private final Object key;
    private final Kernel[] kernels;
    private final int[] listLengths;
    private final IntArray[] params;
    private final FloatArray[] floats;
    private final WorkerGrid1D[] grids;
    /** Index of this step's first graph in the current plan; -1 until a plan includes it. */
    private int firstGraph = -1;

    private RecordedStep(Object key, int tasks) {
        this.key = key;
        kernels = new Kernel[tasks];
        listLengths = new int[tasks];
        params = new IntArray[tasks];
        floats = new FloatArray[tasks];
        grids = new WorkerGrid1D[tasks];
    }

    /** Records the launches of {@code captured} under {@code key}. */
    static RecordedStep of(Object key, CapturedLaunches captured) {
        RecordedStep step = new RecordedStep(key, captured.size());
        for (int i = 0; i < captured.size(); i++) {
            Kernel k = captured.kernel(i);
            step.kernels[i] = k;
            step.listLengths[i] = captured.listLength(i);
            step.params[i] = new IntArray(Params.SCALARS + captured.listLength(i));
            step.floats[i] = k.takesFloats ? new FloatArray(Params.FLOATS) : null;
            step.grids[i] = new WorkerGrid1D(k.groupSize);
            step.grids[i].setLocalWork(k.groupSize, 1, 1);
        }
        step.load(captured);
        return step;
    }

    Object key() {
        return key;
    }

    int tasks() {
        return kernels.length;
    }

    Kernel kernel(int task) {
        return kernels[task];
    }

    IntArray params(int task) {
        return params[task];
    }

    FloatArray floats(int task) {
        return floats[task];
    }

    WorkerGrid1D grid(int task) {
        return grids[task];
    }

    int firstGraph() {
        return firstGraph;
    }

    void firstGraph(int index) {
        firstGraph = index;
    }

    /** How many graphs run this step: TornadoVM's graphs hold about 1,000 nodes, so a long step is split. */
    int graphs() {
        return (kernels.length + DevicePlan.TASKS_PER_GRAPH - 1) / DevicePlan.TASKS_PER_GRAPH;
    }

    /** Whether {@code captured} has this recording's structure, so that its values can be replayed here. */
    boolean matches(CapturedLaunches captured) {
        if (captured.size() != kernels.length) {
            return false;
        }
        for (int i = 0; i < kernels.length; i++) {
            if (captured.kernel(i) != kernels[i] || captured.listLength(i) != listLengths[i]) {
                return false;
            }
        }
        return true;
    }

    /** Loads the parameters and global sizes of {@code captured}, which {@link #matches} this recording. */
    void load(CapturedLaunches captured) {
        for (int i = 0; i < kernels.length; i++) {
            captured.copyParams(i, params[i], floats[i]);
            grids[i].setGlobalWork(captured.globalSize(i), 1, 1);
        }
    }
}
