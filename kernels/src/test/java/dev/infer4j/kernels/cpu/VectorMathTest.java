package dev.infer4j.kernels.cpu;

import static dev.infer4j.kernels.ReferenceMath.erf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.ReferenceMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** Accuracy of the polynomial exp and erf against {@code Math.exp} and the erf series of the contract test. */
class VectorMathTest {
    @Test
    void erfIsWithin1e7AbsoluteOnADenseGrid() {
        int lanes = VectorMath.D.length();
        double[] x = new double[lanes];
        double[] e = new double[lanes];
        double worst = 0;
        double worstAt = 0;
        for (int i = -600_000; i < 600_000; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                x[l] = (float) ((i + l) * 1e-5); // float inputs, as the kernels see them
            }
            VectorMath.erf(DoubleVector.fromArray(VectorMath.D, x, 0)).intoArray(e, 0);
            for (int l = 0; l < lanes; l++) {
                double err = Math.abs((float) e[l] - erf(x[l]));
                if (err > worst) {
                    worst = err;
                    worstAt = x[l];
                }
            }
        }
        assertTrue(worst <= 1e-7, "erf error " + worst + " at " + worstAt);
        // the double result itself, before rounding to float, is far better
        for (double v : new double[] {0.1, 0.7499, 0.75, 0.7501, 1.5, 3, 5.5}) {
            java.util.Arrays.fill(x, v);
            VectorMath.erf(DoubleVector.fromArray(VectorMath.D, x, 0)).intoArray(e, 0);
            assertEquals(erf(v), e[0], 1e-11, "erf(" + v + ")");
        }
    }

    @Test
    void erfcKeepsRelativeAccuracyInTheTail() {
        double[] x = new double[VectorMath.D.length()];
        double[] e = new double[x.length];
        for (double v = 0.8; v < 5.5; v += 0.37) {
            java.util.Arrays.fill(x, v);
            VectorMath.erfcOfAbs(DoubleVector.fromArray(VectorMath.D, x, 0)).intoArray(e, 0);
            double want = ReferenceMath.erfc(v);
            assertEquals(want, e[0], 1e-10 * want, "erfc(" + v + ")");
        }
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
