package dev.infer4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transcendental functions on whole vectors, species-agnostic, written with polynomials so they
 * vectorize on every platform (no dependence on a native vector math library).
 *
 * <p>Accuracy: {@link #exp(FloatVector)} is within 2 ulp of {@code Math.exp} on {@code [-87.3, 88]};
 * {@link #gelu(FloatVector)} within 8 ulp of the exact-erf GELU.
 */
final class VectorMath {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorMath() {
    }

    // ---- float exp ----------------------------------------------------------------------------

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that {@code k * LN2_HI} is exact for the exponents used. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Adding 1.5 * 2^23 rounds a float of magnitude below 2^22 to an integer. */
    private static final float ROUNDER = 12582912f;
    private static final float EXP_MIN = -87.33f;
    private static final float EXP_MAX = 88f;

    /** {@code e^x}; 0 below -87.33 (no subnormals), saturates near {@code e^88} above 88. */
    static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector k = xc.fma(LOG2E, ROUNDER).sub(ROUNDER); // round(x / ln2)
        FloatVector r = k.fma(FloatVector.broadcast(s, -LN2_HI), xc);
        r = k.fma(FloatVector.broadcast(s, -LN2_LO), r); // x - k ln2, |r| <= ln2 / 2
        // Taylor series of e^r to degree 7: truncation error below 6e-9 relative on |r| <= ln2/2
        FloatVector p = r.fma(1f / 5040, 1f / 720);
        p = p.fma(r, FloatVector.broadcast(s, 1f / 120));
        p = p.fma(r, FloatVector.broadcast(s, 1f / 24));
        p = p.fma(r, FloatVector.broadcast(s, 1f / 6));
        p = p.fma(r, FloatVector.broadcast(s, 0.5f));
        p = p.fma(r, FloatVector.broadcast(s, 1f));
        p = p.fma(r, FloatVector.broadcast(s, 1f));
        IntVector ki = (IntVector) k.convert(VectorOperators.F2I, 0);
        FloatVector twoK = ki.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(twoK).blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
    }

    /** {@code x · sigmoid(x) = x / (1 + e^-x)}. */
    static FloatVector silu(FloatVector x) {
        return x.div(exp(x.neg()).add(1f));
    }

    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
    private static final float GELU_CUBIC = 0.044715f;

    /** {@code 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³)))}, computed as {@code x · sigmoid(2u)}. */
    static FloatVector geluTanh(FloatVector x) {
        FloatVector u = x.mul(x).fma(GELU_CUBIC, 1f).mul(x).mul(2 * SQRT_2_OVER_PI);
        return x.div(exp(u.neg()).add(1f));
    }

    // ---- GELU (erf) ----------------------------------------------------------------------------

    /** Beyond this |x|, {@code Φ(-|x|) < 2^-149} and {@code e^(-x²/2)} underflows: GELU is x or 0. */
    private static final float GELU_CLAMP = 14f;
    /** {@code (1/2)(1/√2)}: {@code t = 1/(1 + a/2)} for {@code a = |x|/√2}. */
    private static final float HALF_SQRT_HALF = 0.35355339059327373f;
    /**
     * {@code erfcx(a) = e^(a²) erfc(a)} as a polynomial in {@code t = 1/(1 + a/2)} for {@code 0 <= a <= 14/√2}
     * (least squares weighted for relative error on 4,000 Chebyshev nodes in t; 3e-7 relative evaluated in
     * float, which is the floor that float rounding leaves).
     */
    private static final float[] ERFCX = {
        -5.24490360476193e-06f, 0.2822032570838928f, 0.2812786102294922f, 0.248805969953537f,
        0.18454581499099731f, 0.0101101603358984f, 0.2305537611246109f, -0.449219286441803f,
        0.26749080419540405f, -0.055763863027095795f};

    /**
     * Exact-erf GELU {@code x Φ(x) = 0.5 x (1 + erf(x/√2))} in float lanes, through
     * {@code c = erfc(|x|/√2) = e^(-x²/2) erfcx(|x|/√2)}: {@code 0.5 x c} for negative x (the far left tail
     * keeps its relative accuracy) and {@code x - 0.5 x c} for positive. {@code x²} is split into a float and its
     * rounding error (one FMA), so that {@code e^(-x²/2)} does not inherit a relative error of {@code x²} ulps.
     * Within 8 ulp (5e-7 relative) of the true value; an earlier double-lane version was correctly rounded
     * but 3x slower, and GELU was 10 % of a 256-token MiniLM pass.
     */
    static FloatVector gelu(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        FloatVector xs = x.max(-GELU_CLAMP).min(GELU_CLAMP); // e is 0 beyond: keeps 0 * inf out of h
        FloatVector a = xs.abs();
        FloatVector sq = a.mul(a);
        FloatVector sqError = a.fma(a, sq.neg());
        FloatVector t = FloatVector.broadcast(s, 1f).div(a.fma(HALF_SQRT_HALF, 1f));
        FloatVector q = FloatVector.broadcast(s, ERFCX[ERFCX.length - 1]);
        for (int i = ERFCX.length - 2; i >= 0; i--) {
            q = q.fma(t, FloatVector.broadcast(s, ERFCX[i]));
        }
        // e^(-(sq + sqError)/2) = e^(-sq/2) (1 - sqError/2), sqError/2 being below half an ulp of sq/2
        FloatVector c = exp(sq.mul(-0.5f)).mul(sqError.fma(-0.5f, 1f)).mul(q);
        FloatVector h = xs.mul(0.5f).mul(c);
        return x.sub(h).blend(h, x.compare(VectorOperators.LE, 0f));
    }

    // ---- loops over memory (no vector crosses a call the JIT might not inline) -------------------

    // One masked loop (rather than full vectors plus a masked tail) inlines exp once: two copies of
    // it and the sum exceed the JIT's node budget, and the sum then boxes its vector on every call.

    /** {@code a[i] = e^(a[i] - shift)} for {@code i} in {@code [from, from + n)}; returns their sum. */
    static float expInPlace(float[] a, int from, int n, float shift) {
        FloatVector sum = FloatVector.zero(F);
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector e = exp(FloatVector.fromArray(F, a, from + i, m).sub(shift));
            e.intoArray(a, from + i, m);
            sum = sum.add(e, m);
        }
        return sum(sum);
    }

    /** The same over {@code n} floats of a segment from byte {@code offset}. */
    static float expInPlace(MemorySegment s, long offset, int n, float shift) {
        FloatVector sum = FloatVector.zero(F);
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> m = F.indexInRange(i, n);
            long d = offset + 4L * i;
            FloatVector e = exp(load(s, d, m).sub(shift));
            e.intoMemorySegment(s, d, ORDER, m);
            sum = sum.add(e, m);
        }
        return sum(sum);
    }

    /** Largest of {@code a[from .. from + n)}; {@code n > 0}. */
    static float max(float[] a, int from, int n) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = acc.max(FloatVector.fromArray(F, a, from + i));
        }
        float m = acc.reduceLanes(VectorOperators.MAX); // exact in any order
        for (; i < n; i++) {
            m = Math.max(m, a[from + i]);
        }
        return m;
    }

    // ---- deterministic horizontal sum ---------------------------------------------------------

    private static final VectorShuffle<Float> XOR_1 = xorShuffle(1);
    private static final VectorShuffle<Float> XOR_2 = xorShuffle(2);
    private static final VectorShuffle<Float> XOR_4 = xorShuffle(4);
    private static final VectorShuffle<Float> XOR_8 = xorShuffle(8);
    private static final VectorShuffle<Float> XOR_16 = xorShuffle(16);
    private static final VectorShuffle<Float> XOR_32 = xorShuffle(32);

    /** Lane i takes lane i ^ w (identity where that is out of range: such steps are skipped). */
    private static VectorShuffle<Float> xorShuffle(int w) {
        return VectorShuffle.fromOp(F, i -> (i ^ w) & (F.length() - 1));
    }

    /**
     * Sum of the lanes of a {@link #F} vector by a fixed butterfly. Unlike {@code reduceLanes(ADD)},
     * whose order differs between the interpreter and compiled code, this gives the same float on the
     * first call as after warm-up, so results are reproducible.
     */
    static float sum(FloatVector v) {
        int lanes = F.length();
        if (lanes > 32) {
            v = v.add(v.rearrange(XOR_32));
        }
        if (lanes > 16) {
            v = v.add(v.rearrange(XOR_16));
        }
        if (lanes > 8) {
            v = v.add(v.rearrange(XOR_8));
        }
        if (lanes > 4) {
            v = v.add(v.rearrange(XOR_4));
        }
        if (lanes > 2) {
            v = v.add(v.rearrange(XOR_2));
        }
        if (lanes > 1) {
            v = v.add(v.rearrange(XOR_1));
        }
        return v.lane(0);
    }

    /** {@code dst[i] = gelu(src[i])} for {@code n} floats from byte offsets {@code srcOff} and {@code dstOff}; in place allowed. */
    static void gelu(MemorySegment src, long srcOff, MemorySegment dst, long dstOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            gelu(load(src, srcOff + 4L * i)).intoMemorySegment(dst, dstOff + 4L * i, ORDER);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            gelu(load(src, srcOff + 4L * i, m)).intoMemorySegment(dst, dstOff + 4L * i, ORDER, m);
        }
    }

    // ---- loads and stores ---------------------------------------------------------------------

    static FloatVector load(MemorySegment s, long byteOffset) {
        return FloatVector.fromMemorySegment(F, s, byteOffset, ORDER);
    }

    static FloatVector load(MemorySegment s, long byteOffset, VectorMask<Float> m) {
        return FloatVector.fromMemorySegment(F, s, byteOffset, ORDER, m);
    }

    static void store(FloatVector v, MemorySegment s, long byteOffset) {
        v.intoMemorySegment(s, byteOffset, ORDER);
    }

    static void store(FloatVector v, MemorySegment s, long byteOffset, VectorMask<Float> m) {
        v.intoMemorySegment(s, byteOffset, ORDER, m);
    }
}
