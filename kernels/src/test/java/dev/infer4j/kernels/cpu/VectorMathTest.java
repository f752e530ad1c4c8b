package dev.infer4j.kernels.cpu;

import static dev.infer4j.kernels.ReferenceMath.erf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.ReferenceMath;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** Accuracy of the polynomial exp and GELU against {@code Math.exp} and the erf series of the contract test. */
class VectorMathTest {
    /** GELU against the double-precision series erf: within 8 ulp everywhere, and exact limits far out. */
    @Test
    void geluIsWithinEightUlpsOnADenseGrid() {
        int lanes = VectorMath.F.length();
        float[] x = new float[lanes];
        float[] g = new float[lanes];
        double worst = 0;
        float worstAt = 0;
        for (int i = -64_000; i < 64_000; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                x[l] = (i + l) * 2.5e-4f;
            }
            worstAt = check(x, g, worst, worstAt);
            worst = Math.max(worst, ulpsOff(x, g));
        }
        // tiny and moderate magnitudes on a log scale, both signs
        for (double m = 1e-30; m < 16; m *= 1.001) {
            for (int l = 0; l < lanes; l++) {
                x[l] = (float) (l % 2 == 0 ? m : -m) * (1 + l * 1e-3f);
            }
            worstAt = check(x, g, worst, worstAt);
            worst = Math.max(worst, ulpsOff(x, g));
        }
        assertTrue(worst <= 8, "GELU off by " + worst + " ulp at " + worstAt);

        float[] edges = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -1e30f, 14f, -14f, 0f, -0f};
        float[] want = {Float.POSITIVE_INFINITY, 0f, 1e30f, 0f, 14f, 0f, 0f, 0f};
        for (int i = 0; i < edges.length; i++) {
            java.util.Arrays.fill(x, edges[i]);
            VectorMath.gelu(FloatVector.fromArray(VectorMath.F, x, 0)).intoArray(g, 0);
            assertEquals(want[i], g[0], Math.ulp(want[i]), "GELU(" + edges[i] + ")");
        }
        java.util.Arrays.fill(x, Float.NaN);
        VectorMath.gelu(FloatVector.fromArray(VectorMath.F, x, 0)).intoArray(g, 0);
        assertTrue(Float.isNaN(g[0]), "GELU(NaN) = " + g[0]);
    }

    private static float check(float[] x, float[] g, double worst, float worstAt) {
        VectorMath.gelu(FloatVector.fromArray(VectorMath.F, x, 0)).intoArray(g, 0);
        double off = ulpsOff(x, g);
        if (off > worst) {
            for (int l = 0; l < x.length; l++) {
                if (ulps(x[l], g[l]) == off) {
                    return x[l];
                }
            }
        }
        return worstAt;
    }

    private static double ulpsOff(float[] x, float[] g) {
        double worst = 0;
        for (int l = 0; l < x.length; l++) {
            worst = Math.max(worst, ulps(x[l], g[l]));
        }
        return worst;
    }

    /** Distance from the exact GELU in units of the float spacing there (results below 1e-37 count as 0). */
    private static double ulps(float x, float got) {
        double z = x / Math.sqrt(2);
        // 1 + erf(z) = erfc(-z): the continued fraction where the series would cancel (it needs -z > 0.5)
        double want = 0.5 * x * (z < -0.5 ? ReferenceMath.erfc(-z) : 1 + erf(z));
        if (Math.abs(want) < 1e-37) {
            return Math.abs(got) < 1e-37 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - want) / Math.ulp((float) want);
    }

    @Test
    void expIsWithinTwoUlps() {
        int lanes = VectorMath.F.length();
        float[] x = new float[lanes];
        float[] e = new float[lanes];
        for (int i = -8_733_000; i < 8_800_000; i += lanes * 7) {
            for (int l = 0; l < lanes; l++) {
                x[l] = (i + l) * 1e-5f;
            }
            VectorMath.exp(FloatVector.fromArray(VectorMath.F, x, 0)).intoArray(e, 0);
            for (int l = 0; l < lanes; l++) {
                double want = Math.exp(x[l]);
                assertTrue(Math.abs(e[l] - want) <= 2 * Math.ulp((float) want), "exp(" + x[l] + ") = " + e[l] + ", want " + want);
            }
        }
        x[0] = -1000f;
        x[1] = Float.NEGATIVE_INFINITY;
        VectorMath.exp(FloatVector.fromArray(VectorMath.F, x, 0)).intoArray(e, 0);
        assertEquals(0f, e[0]);
        assertEquals(0f, e[1]);
    }
}
