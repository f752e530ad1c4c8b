package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.tornadovm.kernels.Params;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The kernel launches of one {@code Backend.replay} scope, collected instead of run: per launch its kernel,
 * a copy of the parameters it was given (the scalars and the used part of the list) and its global size.
 * When the scope ends they are either loaded into a {@link RecordedStep} and run as one graph, or run one by
 * one. The buffers are reused from scope to scope, so a replayed decode step allocates nothing here.
 */
final class CapturedLaunches {
    private Kernel[] kernels = new Kernel[64];
    private int[][] params = new int[64][];
    private float[][] floats = new float[64][];
    private int[] listLengths = new int[64];
    private long[] globalSizes = new long[64];
    private int size;
    private boolean active;

    /** Whether a scope is collecting now. */
    boolean active() {
        return active;
    }

    void begin() {
        size = 0;
        active = true;
    }

    /** Stops collecting; the launches stay until the next {@link #begin}. */
    void stop() {
        active = false;
    }

    int size() {
        return size;
    }

    /** Collects one launch: {@code listLength} list entries of {@code p} are used, {@code f} may be null. */
    void add(Kernel kernel, IntArray p, int listLength, FloatArray f, long globalSize) {
        if (size == kernels.length) {
            int n = size * 2;
            kernels = Arrays.copyOf(kernels, n);
            params = Arrays.copyOf(params, n);
            floats = Arrays.copyOf(floats, n);
            listLengths = Arrays.copyOf(listLengths, n);
            globalSizes = Arrays.copyOf(globalSizes, n);
        }
        int ints = Params.SCALARS + listLength;
        if (params[size] == null || params[size].length < ints) {
            params[size] = new int[Math.max(ints, Params.SCALARS)];
        }
        MemorySegment.copy(p.getSegment(), ValueLayout.JAVA_INT, 0, params[size], 0, ints);
        if (f != null) {
            if (floats[size] == null) {
                floats[size] = new float[Params.FLOATS];
            }
            MemorySegment.copy(f.getSegment(), ValueLayout.JAVA_FLOAT, 0, floats[size], 0, Params.FLOATS);
        }
        kernels[size] = kernel;
        listLengths[size] = listLength;
        globalSizes[size] = globalSize;
        size++;
    }

    Kernel kernel(int i) {
        return kernels[i];
    }

    int listLength(int i) {
        return listLengths[i];
    }

    long globalSize(int i) {
        return globalSizes[i];
    }

    /** Copies launch {@code i}'s parameters into the arrays a graph sends to the device ({@code f} may be null). */
    void copyParams(int i, IntArray p, FloatArray f) {
        MemorySegment.copy(params[i], 0, p.getSegment(), ValueLayout.JAVA_INT, 0, Params.SCALARS + listLengths[i]);
        if (f != null) {
            MemorySegment.copy(floats[i], 0, f.getSegment(), ValueLayout.JAVA_FLOAT, 0, Params.FLOATS);
        }
    }
}
