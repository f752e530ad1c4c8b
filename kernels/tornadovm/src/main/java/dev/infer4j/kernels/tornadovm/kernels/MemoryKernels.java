package dev.infer4j.kernels.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Moves data between the staging buffers (the only arrays that cross to and from the host at each
 * launch) and the device-resident arenas, and within the activation arena. One work-item per element.
 */
public final class MemoryKernels {
    private MemoryKernels() {
    }

    /**
     * Does nothing useful: the first graph of a plan runs it once so that TornadoVM allocates the arenas
     * on the device and uploads their initial contents (every later graph consumes them).
     */
    public static void touch(KernelContext ctx, FloatArray acts, FloatArray consts, ByteArray quants, IntArray p) {
        if (ctx.globalIdx == 0 && p.get(0) == 1) {
            acts.set(0, consts.get(0) + quants.get(0));
        }
    }

    /** {@code arena[p0 + i] = staging[i]} for {@code i < p1}; the arena is the activations if {@code p2 == 0}, else the constants. */
    public static void writeF32(KernelContext ctx, FloatArray acts, FloatArray consts, FloatArray staging, IntArray p) {
        int i = ctx.globalIdx;
        if (i < p.get(1)) {
            if (p.get(2) == 0) {
                acts.set(p.get(0) + i, staging.get(i));
            } else {
                consts.set(p.get(0) + i, staging.get(i));
            }
        }
    }

    /** {@code quants[p0 + i] = staging[i]} for {@code i < p1}. */
    public static void writeBytes(KernelContext ctx, ByteArray quants, ByteArray staging, IntArray p) {
        int i = ctx.globalIdx;
        if (i < p.get(1)) {
            quants.set(p.get(0) + i, staging.get(i));
        }
    }

    /** {@code staging[i] = acts[p0 + i]} for {@code i < p1}. */
    public static void readF32(KernelContext ctx, FloatArray acts, FloatArray staging, IntArray p) {
        int i = ctx.globalIdx;
        if (i < p.get(1)) {
            staging.set(i, acts.get(p.get(0) + i));
        }
    }

    /** {@code acts[p1 + i] = acts[p0 + i]} for {@code i < p2}; the ranges do not overlap (the host splits overlapping copies). */
    public static void copy(KernelContext ctx, FloatArray acts, IntArray p) {
        int i = ctx.globalIdx;
        if (i < p.get(2)) {
            acts.set(p.get(1) + i, acts.get(p.get(0) + i));
        }
    }

    /**
     * Row {@code r} of the {@code p0} rows of width {@code p1} at {@code p2} goes to row {@code list[r]} of the rows
     * at {@code p3}; the ranges do not overlap.
     */
    public static void scatterRows(KernelContext ctx, FloatArray acts, IntArray p) {
        int i = ctx.globalIdx;
        int width = p.get(1);
        if (i < p.get(0) * width) {
            int row = i / width;
            acts.set(p.get(3) + p.get(Params.LIST + row) * width + i % width, acts.get(p.get(2) + i));
        }
    }
}
