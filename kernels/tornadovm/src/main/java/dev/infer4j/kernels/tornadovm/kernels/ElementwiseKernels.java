package dev.infer4j.kernels.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Elementwise operations on the activation arena, one work-item per element. Parameters: {@code p0}
 * element count, then arena offsets. In place is safe: each work-item reads its element before writing it.
 */
public final class ElementwiseKernels {
    private static final float SQRT_HALF = 0.70710678118654752f;
    private static final float SQRT_2_OVER_PI = 0.79788456080286536f;

    private ElementwiseKernels() {
    }

    /** {@code out[i] = a[i] + b[i % p4]}: p1 a, p2 b, p3 out; {@code p4} is the count (same shape) or the row width (b broadcast). */
    public static void add(KernelContext ctx, FloatArray acts, IntArray p) {
        int i = ctx.globalIdx;
        if (i < p.get(0)) {
            acts.set(p.get(3) + i, acts.get(p.get(1) + i) + acts.get(p.get(2) + i % p.get(4)));
        }
    }

    /** {@code x[i] *= f0}: p1 x. */
    public static void scale(KernelContext ctx, FloatArray acts, IntArray p, FloatArray f) {
        int i = ctx.globalIdx;
        if (i < p.get(0)) {
            int x = p.get(1) + i;
            acts.set(x, acts.get(x) * f.get(0));
        }
    }

    /** Exact GELU {@code x · Φ(x)}: p1 x, p2 out. */
    public static void gelu(KernelContext ctx, FloatArray acts, IntArray p) {
        int i = ctx.globalIdx;
        if (i < p.get(0)) {
            float x = acts.get(p.get(1) + i);
            acts.set(p.get(2) + i, 0.5f * x * (1f + erf(x * SQRT_HALF)));
        }
    }

    /** GELU, tanh approximation: p1 x, p2 out. */
    public static void geluTanh(KernelContext ctx, FloatArray acts, IntArray p) {
        int i = ctx.globalIdx;
        if (i < p.get(0)) {
            float x = acts.get(p.get(1) + i);
            float inner = SQRT_2_OVER_PI * (x + 0.044715f * x * x * x);
            acts.set(p.get(2) + i, 0.5f * x * (1f + TornadoMath.tanh(inner)));
        }
    }

    /** {@code x · sigmoid(x)}: p1 x, p2 out. */
    public static void silu(KernelContext ctx, FloatArray acts, IntArray p) {
        int i = ctx.globalIdx;
        if (i < p.get(0)) {
            float x = acts.get(p.get(1) + i);
            acts.set(p.get(2) + i, x / (1f + TornadoMath.exp(-x)));
        }
    }

    /** {@code silu(gate) · up}: p1 gate, p2 up, p3 out. */
    public static void swiglu(KernelContext ctx, FloatArray acts, IntArray p) {
        int i = ctx.globalIdx;
        if (i < p.get(0)) {
            float g = acts.get(p.get(1) + i);
            acts.set(p.get(3) + i, g / (1f + TornadoMath.exp(-g)) * acts.get(p.get(2) + i));
        }
    }

    /**
     * The error function, from the Chebyshev fit of {@code erfc} in Numerical Recipes (fractional error
     * below 1.2e-7 everywhere), because OpenCL's {@code erf} is not reachable from TornadoVM's Java API.
     */
    static float erf(float x) {
        float z = TornadoMath.abs(x);
        float t = 1f / (1f + 0.5f * z);
        float poly = -z * z - 1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f
                + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f
                + t * (-0.82215223f + t * 0.17087277f))))))));
        float erfc = t * TornadoMath.exp(poly);
        return x >= 0 ? 1f - erfc : erfc - 1f;
    }
}
