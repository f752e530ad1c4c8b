package dev.infer4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Backends, random inputs, transfers and tolerance checks shared by the backend contract tests.
 * Tolerances and seeds are described on {@link BackendContractTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendTestSupport {
    /** Sizes that are not multiples of 4, 8 or 16 lanes, plus a few that are. */
    protected static final int[] SIZES = {1, 3, 7, 16, 17, 33, 65, 130};

    private final Map<Integer, Backend> backends = new HashMap<>();
    /** Host memory for parameters (norm weights, tables), as a model file would provide them. */
    protected final Arena host = Arena.ofShared();
    private long seed;

    /** The seed of the current test's random inputs, for failure messages. */
    protected final long seed() {
        return seed;
    }

    /** A new backend using {@code threads} host threads. */
    protected abstract Backend createBackend(int threads);

    /** Multiplies every tolerance; 1 for backends that compute in float with accurate exp/erf. */
    protected double toleranceScale() {
        return 1;
    }

    protected final Backend backend(int threads) {
        return backends.computeIfAbsent(threads, this::createBackend);
    }

    @AfterAll
    void closeBackends() {
        backends.values().forEach(Backend::close);
        host.close();
    }

    protected Random random(String test, int threads) {
        Long override = Long.getLong("infer4j.test.seed");
        seed = (override != null ? override : (long) test.hashCode()) * 31 + threads;
        return new Random(seed);
    }

    // ---- helpers ------------------------------------------------------------------------------

    protected static float[] randomFloats(Random r, int n, float range) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextFloat() * 2 - 1) * range;
        }
        return a;
    }

    protected static int size(Random r) {
        return SIZES[r.nextInt(SIZES.length)];
    }

    protected Tensor upload(Backend b, float[] values, long... shape) {
        Tensor t = b.allocate(DType.F32, shape);
        b.write(t, 0, values, 0, values.length);
        return t;
    }

    protected static float[] download(Backend b, Tensor t) {
        float[] a = new float[Math.toIntExact(t.elementCount())];
        b.read(t, 0, a, 0, a.length);
        return a;
    }

    protected Tensor hostTensor(float[] values, long... shape) {
        return Tensor.ofFloats(host, values, shape);
    }

    protected void assertClose(String what, double[] want, float[] got, double atol, double rtol) {
        assertEquals(want.length, got.length, what + ": length");
        double a = atol * toleranceScale();
        double r = rtol * toleranceScale();
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[i] - want[i]);
            if (!(err <= a + r * Math.abs(want[i]))) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + want[i] + " (error " + err
                        + ", allowed " + (a + r * Math.abs(want[i])) + ", seed " + seed + ")");
            }
        }
    }
}
