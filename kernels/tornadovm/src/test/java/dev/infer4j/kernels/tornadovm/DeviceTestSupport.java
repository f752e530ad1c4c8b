package dev.infer4j.kernels.tornadovm;

import static org.junit.jupiter.api.Assertions.fail;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/** Moving test data to and from the shared backend, and comparing with a tolerance. */
abstract class DeviceTestSupport {
    /** Host memory for parameters, as a model file would provide them; lives as long as the JVM (like the backend's caches). */
    static final Arena HOST = Arena.ofShared();

    final TornadoBackend backend = SharedBackend.get();

    static Random random(String test) {
        return new Random(test.hashCode());
    }

    Tensor device(float[] values, long... shape) {
        Tensor t = backend.allocate(DType.F32, shape);
        backend.write(t, 0, values, 0, values.length);
        return t;
    }

    float[] values(Tensor t) {
        float[] out = new float[Math.toIntExact(t.elementCount())];
        backend.read(t, 0, out, 0, out.length);
        return out;
    }

    static Tensor host(float[] values, long... shape) {
        return Tensor.ofFloats(HOST, values, shape);
    }

    static Tensor hostBytes(DType dtype, byte[] bytes, long... shape) {
        MemorySegment s = HOST.allocate(bytes.length, 64);
        MemorySegment.copy(bytes, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        return Tensor.of(dtype, s, shape);
    }

    static Tensor hostHalves(float[] values, long... shape) {
        MemorySegment s = HOST.allocate(2L * values.length, 64);
        for (int i = 0; i < values.length; i++) {
            s.setAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(values[i]));
        }
        return Tensor.of(DType.F16, s, shape);
    }

    /** Passes when {@code |got - want| <= atol + rtol · |want|} everywhere; the message names the first miss. */
    static void assertClose(String what, double[] want, float[] got, double atol, double rtol) {
        if (want.length != got.length) {
            fail(what + ": " + got.length + " values, expected " + want.length);
        }
        for (int i = 0; i < want.length; i++) {
            double tol = atol + rtol * Math.abs(want[i]);
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + want[i] + " ± " + tol);
            }
        }
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
