package dev.infer4j.models.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.dtype.Dequantizer;
import dev.infer4j.kernels.dtype.Quantizer;
import dev.infer4j.models.testing.SharedModels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernels' dtype codecs against the real files: the F16, Q8_0 and Q4_0 stories260K files were made from the
 * F32 one by llama-quantize (F16) and gguf-py's ggml-compatible quantizer (Q8_0, Q4_0). Decoding them must give
 * the F32 weights within each block's quantization step, and encoding the F32 weights must give the files' bytes.
 */
class GgufDtypeCodecsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"F16", "Q8_0", "Q4_0"})
    void decodingAndEncodingAgreeWithTheQuantizedFiles(String kind) {
        try (GgufFile f32 = GgufFile.open(SharedModels.file("models/stories260K/stories260K.gguf"));
             GgufFile quant = GgufFile.open(SharedModels.file("models/stories260K/stories260K-" + kind + ".gguf"));
             Arena arena = Arena.ofConfined()) {
            DType dtype = DType.valueOf(kind);
            int checked = 0;
            for (GgufTensorInfo info : quant.tensorInfos()) {
                Tensor q = quant.tensor(info.name());
                Tensor original = f32.tensor(info.name());
                assertArrayEquals(original.shape(), q.shape(), info.name());
                if (q.dtype() == DType.F32) {
                    assertArrayEquals(original.segment().toArray(ValueLayout.JAVA_BYTE), q.segment().toArray(ValueLayout.JAVA_BYTE),
                            info.name() + " is kept in F32 unchanged");
                    continue;
                }
                assertEquals(dtype, q.dtype(), info.name());
                int n = Math.toIntExact(q.elementCount());
                float[] weights = original.segment().toArray(ValueLayout.JAVA_FLOAT);
                float[] decoded = new float[n];
                Dequantizer.dequantize(dtype, q.segment(), 0, decoded, 0, n);
                assertWithinQuantizationStep(dtype, weights, decoded, info.name());

                MemorySegment encoded = arena.allocate(q.byteSize());
                if (dtype == DType.F16) {
                    for (int i = 0; i < n; i++) {
                        encoded.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(weights[i]));
                    }
                } else {
                    Quantizer.quantize(dtype, weights, 0, encoded, 0, n);
                }
                assertEquals(-1, encoded.mismatch(q.segment()), info.name() + ": encoded bytes differ from the file's");
                checked++;
            }
            // every 2-D tensor; the Q8_0/Q4_0 files keep the five 172-wide ffn_down matrices in F32
            assertEquals(dtype == DType.F16 ? 37 : 32, checked, "tensors checked");
        }
    }

    /** Per block, every decoded value lies within the block's quantization step of the original. */
    private static void assertWithinQuantizationStep(DType dtype, float[] original, float[] decoded, String name) {
        int block = dtype == DType.F16 ? 1 : 32;
        for (int b = 0; b < original.length; b += block) {
            float amax = 0;
            for (int i = b; i < b + block; i++) {
                amax = Math.max(amax, Math.abs(original[i]));
            }
            double step = switch (dtype) {
                // half an F16 ulp: 10 mantissa bits, subnormal below 2^-14
                case F16 -> Math.scalb(1.0, Math.max(Math.getExponent(amax), -14) - 11);
                // half a step of amax/127, plus the F16 rounding of the scale (2^-11 relative) times up to 127 steps
                case Q8_0 -> amax / 127 * 0.5 + amax * 0x1p-11 + 1e-7;
                // values of the sign opposite to the block's extreme clamp at 7 steps: up to a whole step of amax/8
                case Q4_0 -> amax / 8 + amax * 0x1p-11 + 1e-7;
                default -> throw new IllegalArgumentException(dtype.toString());
            };
            for (int i = b; i < b + block; i++) {
                double d = Math.abs(decoded[i] - original[i]);
                if (d > step) {
                    throw new AssertionError(name + "[" + i + "]: decoded " + decoded[i] + " vs " + original[i]
                            + " differs by " + d + " > step " + step);
                }
            }
        }
    }
}
