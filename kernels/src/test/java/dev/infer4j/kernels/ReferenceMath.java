package dev.infer4j.kernels;

/** Double-precision references for tests, written from the definitions (no shared code with the kernels). */
public final class ReferenceMath {
    private ReferenceMath() {
    }

    /** erf by its everywhere-convergent series {@code 2/√π e^(-x²) Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))}: all terms positive, so no cancellation. */
    public static double erf(double x) {
        if (Math.abs(x) > 8) {
            return Math.signum(x);
        }
        double term = x;
        double sum = x;
        for (int n = 1; n < 500 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }

    /** Laplace's continued fraction {@code erfc x = e^(-x²)/√π / (x + (1/2)/(x + 1/(x + (3/2)/(x + …))))}, for x > 0.5. */
    public static double erfc(double x) {
        double k = x;
        for (int n = 5000; n >= 1; n--) {
            k = x + n / 2.0 / k;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / k;
    }
}
