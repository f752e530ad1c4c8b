package dev.infer4j.kernels.tornadovm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void writeAddRead() {
        try (Backend b = Backends.create("tornadovm", 1)) {
            Tensor x = b.allocate(DType.F32, 3, 5);
            Tensor y = b.allocate(DType.F32, 3, 5);
            float[] v = new float[15];
            float[] w = new float[15];
            for (int i = 0; i < 15; i++) {
                v[i] = i;
                w[i] = 100 * i;
            }
            b.write(x, 0, v, 0, 15);
            b.write(y, 0, w, 0, 15);
            b.add(x, y, y);
            float[] got = new float[15];
            b.read(y, 0, got, 0, 15);
            float[] want = new float[15];
            for (int i = 0; i < 15; i++) {
                want[i] = 101 * i;
            }
            assertArrayEquals(want, got);
        }
    }
}
