package dev.infer4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transcendental functions on whole vectors, species-agnostic, written with polynomials so they
 * vectorize on every platform (no dependence on a native vector math library).
 *
 * <p>Accuracy: {@link #exp(FloatVector)} is within 2 ulp of {@code Math.exp} on {@code [-87.3, 88]};
 * the double-lane {@link #erfc(DoubleVector)} is within about 1e-11 relative, so the float results
 * computed from it (GELU, erf) are correctly rounded or one ulp off.
 */
final class VectorMath {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats that fill one double vector once widened (half the bits of {@link #D}). */
    static final VectorSpecies<Float> F_FOR_D =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
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

    // ---- double erfc and exact GELU -----------------------------------------------------------

    private static final double LOG2E_D = 1.4426950408889634;
    private static final double LN2_D = 0.6931471805599453;
    private static final double ROUNDER_D = 6755399441055744.0; // 1.5 * 2^52

    /** {@code e^x} for {@code x} in {@code [-700, 0]}, about 1e-15 relative. */
    static DoubleVector expNegative(DoubleVector x) {
        DoubleVector k = x.fma(LOG2E_D, ROUNDER_D).sub(ROUNDER_D);
        DoubleVector r = k.fma(DoubleVector.broadcast(x.species(), -LN2_D), x);
        DoubleVector p = horner(INVERSE_FACTORIALS, r); // Taylor series to degree 11
        LongVector kl = (LongVector) k.convert(VectorOperators.D2L, 0);
        DoubleVector twoK = kl.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(twoK);
    }

    private static final double[] INVERSE_FACTORIALS = new double[12];

    static {
        double f = 1;
        for (int n = 0; n < INVERSE_FACTORIALS.length; n++) {
            f *= Math.max(n, 1);
            INVERSE_FACTORIALS[n] = 1 / f;
        }
    }

    /** Below this |x| erf is a polynomial; above, erfc is {@code e^(-x²)} times a polynomial in {@code 1/(1 + 0.3|x|)}. */
    private static final double ERF_SPLIT = 0.75;
    /** erfc(10) ≈ 2e-45 is below every float, so larger |x| need no better answer. */
    private static final double ERF_CLAMP = 10;
    /** erf(x)/x as a polynomial in x², |x| < 0.75 (least-squares fit on Chebyshev nodes, error 5e-13). */
    private static final double[] ERF_SMALL = {
        1.128379167095354, -0.37612638896543038, 0.11283791386694395, -0.026866127197132602,
        0.0052236587274772893, -0.00085357188185379942, 0.00011778733199240702, -1.1710253667438247e-05};
    /** erfc(x)·e^(x²) as a polynomial in t = 1/(1 + 0.3x), 0.75 <= x <= 10 (same fit, relative error 3e-12). */
    private static final double[] ERFC_LARGE = {
        -8.107483445048462e-07, 0.1692795950070142, 0.16897125939967395, 0.16376178769183572,
        0.13610496621539911, 0.15864244801750629, 0.021486846553518318, 0.18235006809759305,
        -0.042325470091640262, 0.0062987747421015148, 0.1134186295378584, -0.10334935857491469,
        0.025361762412907191};

    /** {@code erfc(|x|)} (note: of the absolute value), accurate to about 1e-11 relative. */
    static DoubleVector erfcOfAbs(DoubleVector x) {
        DoubleVector a = x.abs().min(ERF_CLAMP);
        DoubleVector u = a.mul(a);
        DoubleVector small = horner(ERF_SMALL, u).mul(a).neg().add(1.0);
        DoubleVector t = DoubleVector.broadcast(a.species(), 1.0).div(a.fma(0.3, 1.0));
        DoubleVector large = expNegative(u.neg()).mul(horner(ERFC_LARGE, t));
        return large.blend(small, a.compare(VectorOperators.LT, ERF_SPLIT));
    }

    /** {@code erf(x)} in double lanes. */
    static DoubleVector erf(DoubleVector x) {
        DoubleVector e = erfcOfAbs(x).neg().add(1.0);
        return e.blend(e.neg(), x.compare(VectorOperators.LT, 0.0));
    }

    private static final double SQRT_HALF = 0.7071067811865476;

    /**
     * Exact GELU {@code x Φ(x) = 0.5 x (1 + erf(x/√2))}; for negative x it uses {@code 0.5 x erfc(|x|/√2)}
     * so that the far left tail keeps its relative accuracy.
     */
    static DoubleVector gelu(DoubleVector x) {
        DoubleVector c = erfcOfAbs(x.mul(SQRT_HALF));
        DoubleVector phi2 = c.neg().add(2.0).blend(c, x.compare(VectorOperators.LT, 0.0)); // 1 + erf(x/√2)
        return x.mul(0.5).mul(phi2);
    }

    private static DoubleVector horner(double[] c, DoubleVector x) {
        DoubleVector p = DoubleVector.broadcast(x.species(), c[c.length - 1]);
        for (int i = c.length - 2; i >= 0; i--) {
            p = p.fma(x, DoubleVector.broadcast(x.species(), c[i]));
        }
        return p;
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
