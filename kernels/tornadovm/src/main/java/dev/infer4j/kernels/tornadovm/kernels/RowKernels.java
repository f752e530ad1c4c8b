package dev.infer4j.kernels.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Per-row reductions: one work-group of {@link #GROUP} work-items per row. Each work-item folds a
 * strided slice of the row, then the group combines the partial results by a tree in local memory
 * ({@code @Reduce} is not used: it is wrong on some OpenCL devices, PoCL among them, for large inputs).
 * Parameters: {@code p0} rows, {@code p1} columns, then arena offsets. In place is safe: every element is
 * read in the reduction phases, which end with a barrier before any work-item writes.
 */
public final class RowKernels {
    /** Work-items per row; a power of two. */
    public static final int GROUP = 128;

    private RowKernels() {
    }

    /** {@code out = x / sqrt(mean(x²) + f0) · w}: p2 x, p3 w (constants), p4 out. */
    public static void rmsNorm(KernelContext ctx, FloatArray acts, FloatArray consts, IntArray p, FloatArray f) {
        float[] partial = ctx.allocateFloatLocalArray(GROUP);
        int lid = ctx.localIdx;
        int cols = p.get(1);
        int x = p.get(2) + ctx.groupIdx * cols;
        float sum = 0f;
        for (int c = lid; c < cols; c += GROUP) {
            float v = acts.get(x + c);
            sum += v * v;
        }
        partial[lid] = sum;
        for (int stride = GROUP / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
        }
        ctx.localBarrier();
        float inv = 1f / TornadoMath.sqrt(partial[0] / cols + f.get(0));
        int w = p.get(3);
        int out = p.get(4) + ctx.groupIdx * cols;
        for (int c = lid; c < cols; c += GROUP) {
            acts.set(out + c, acts.get(x + c) * inv * consts.get(w + c));
        }
    }

    /** {@code out = (x - mean) / sqrt(var + f0) · w + b}: p2 x, p3 w, p4 bias or -1 (constants), p5 out. Two passes: mean, then variance. */
    public static void layerNorm(KernelContext ctx, FloatArray acts, FloatArray consts, IntArray p, FloatArray f) {
        float[] partial = ctx.allocateFloatLocalArray(GROUP);
        int lid = ctx.localIdx;
        int cols = p.get(1);
        int x = p.get(2) + ctx.groupIdx * cols;
        float sum = 0f;
        for (int c = lid; c < cols; c += GROUP) {
            sum += acts.get(x + c);
        }
        partial[lid] = sum;
        for (int stride = GROUP / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
        }
        ctx.localBarrier();
        float mean = partial[0] / cols;
        ctx.localBarrier();
        float squares = 0f;
        for (int c = lid; c < cols; c += GROUP) {
            float d = acts.get(x + c) - mean;
            squares += d * d;
        }
        partial[lid] = squares;
        for (int stride = GROUP / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
        }
        ctx.localBarrier();
        float inv = 1f / TornadoMath.sqrt(partial[0] / cols + f.get(0));
        int w = p.get(3);
        int b = p.get(4);
        int out = p.get(5) + ctx.groupIdx * cols;
        for (int c = lid; c < cols; c += GROUP) {
            float v = (acts.get(x + c) - mean) * inv * consts.get(w + c);
            if (b >= 0) {
                v += consts.get(b + c);
            }
            acts.set(out + c, v);
        }
    }

    /** Softmax of each row in place: p2 x. Subtracts the row maximum before exponentiating. */
    public static void softmax(KernelContext ctx, FloatArray acts, IntArray p) {
        float[] partial = ctx.allocateFloatLocalArray(GROUP);
        int lid = ctx.localIdx;
        int cols = p.get(1);
        int x = p.get(2) + ctx.groupIdx * cols;
        float max = -Float.MAX_VALUE;
        for (int c = lid; c < cols; c += GROUP) {
            max = TornadoMath.max(max, acts.get(x + c));
        }
        partial[lid] = max;
        for (int stride = GROUP / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] = TornadoMath.max(partial[lid], partial[lid + stride]);
            }
        }
        ctx.localBarrier();
        float rowMax = partial[0];
        ctx.localBarrier();
        float sum = 0f;
        for (int c = lid; c < cols; c += GROUP) {
            float e = TornadoMath.exp(acts.get(x + c) - rowMax);
            acts.set(x + c, e);
            sum += e;
        }
        partial[lid] = sum;
        for (int stride = GROUP / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
        }
        ctx.localBarrier();
        float inv = 1f / partial[0];
        for (int c = lid; c < cols; c += GROUP) {
            acts.set(x + c, acts.get(x + c) * inv);
        }
    }

    /** {@code x /= max(‖x‖₂, 1e-12)} per row in place: p2 x. */
    public static void l2Normalize(KernelContext ctx, FloatArray acts, IntArray p) {
        float[] partial = ctx.allocateFloatLocalArray(GROUP);
        int lid = ctx.localIdx;
        int cols = p.get(1);
        int x = p.get(2) + ctx.groupIdx * cols;
        float sum = 0f;
        for (int c = lid; c < cols; c += GROUP) {
            float v = acts.get(x + c);
            sum += v * v;
        }
        partial[lid] = sum;
        for (int stride = GROUP / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
        }
        ctx.localBarrier();
        float inv = 1f / TornadoMath.max(TornadoMath.sqrt(partial[0]), 1e-12f);
        for (int c = lid; c < cols; c += GROUP) {
            acts.set(x + c, acts.get(x + c) * inv);
        }
    }
}
