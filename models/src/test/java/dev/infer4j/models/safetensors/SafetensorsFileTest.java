package dev.infer4j.models.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.models.testing.SafetensorsWriter;
import dev.infer4j.models.weights.ModelFormatException;
import dev.infer4j.models.weights.StoredTensor;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    private SafetensorsWriter sample() {
        return new SafetensorsWriter()
                .metadata("format", "pt")
                .addFloats("dense.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                // F16 1.0, -2.0 and BF16 0.5, 3.0 (bit patterns)
                .add("half", "F16", new long[] {2}, new byte[] {0x00, 0x3C, 0x00, (byte) 0xC0})
                .add("brain", "BF16", new long[] {2}, new byte[] {0x00, 0x3F, 0x40, 0x40})
                .add("ids", "I64", new long[] {1}, new byte[8]);
    }

    private Path write(SafetensorsWriter w, String name) throws IOException {
        Path p = dir.resolve(name);
        w.write(p);
        return p;
    }

    @Test
    void readsTensorsInPlace() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(write(sample(), "model.safetensors"))) {
            assertEquals("pt", f.metadata().get("format"));
            StoredTensor w = f.require("dense.weight");
            assertEquals(WeightLayout.OUT_IN, w.layout());
            assertArrayEquals(new long[] {2, 3}, w.tensor().shape());
            float[] values = new float[6];
            for (int i = 0; i < 6; i++) {
                values[i] = w.tensor().segment().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
            }
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, values);
            assertTrue(w.tensor().segment().isMapped());
            Tensor half = f.require("half").tensor();
            assertEquals(DType.F16, half.dtype());
            assertEquals(-2f, Float.float16ToFloat(half.segment().getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, 1)));
            Tensor brain = f.require("brain").tensor();
            assertEquals(DType.BF16, brain.dtype());
            assertEquals(3f, Float.intBitsToFloat(brain.segment().getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, 1) << 16));
            assertNull(f.find("nope"));
        }
    }

    private static void assertProblem(Executable open, String... fragments) {
        ModelFormatException e = assertThrows(ModelFormatException.class, open);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void missingTensorAndUnsupportedDtypeNameTheTensor() throws IOException {
        Path p = write(sample(), "model.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertProblem(() -> f.require("encoder.layer.0.output.dense.weight"), p.toString(), "encoder.layer.0.output.dense.weight", "missing");
            assertProblem(() -> f.require("ids"), p.toString(), "'ids'", "I64", "not supported");
        }
    }

    @Test
    void unknownDtypeFailsAtLoad() throws IOException {
        Path p = write(new SafetensorsWriter().add("x", "F128", new long[] {1}, new byte[16]), "bad.safetensors");
        assertProblem(() -> SafetensorsFile.open(p), p.toString(), "'x'", "unknown dtype 'F128'");
    }

    @Test
    void shapeMismatchFailsAtLoad() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().addFloats("x", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        Path p = dir.resolve("shape.safetensors");
        w.writeWithHeader(p, w.headerJson().replace("[2,3]", "[3,3]"));
        assertProblem(() -> SafetensorsFile.open(p), p.toString(), "'x'", "needs 36 bytes", "span 24");
    }

    @Test
    void truncatedFilesFail() throws IOException {
        Path whole = write(sample(), "whole.safetensors");
        byte[] bytes = Files.readAllBytes(whole);
        for (int cut : new int[] {bytes.length - 1, bytes.length - 30, 40, 5, 0}) {
            Path p = dir.resolve("cut" + cut + ".safetensors");
            Files.write(p, Arrays.copyOf(bytes, cut));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(p), "cut " + cut);
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("JSON"), e.getMessage());
        }
    }

    @Test
    void wrongMagicIsNotSafetensors() throws IOException {
        Path gguf = dir.resolve("model.gguf");
        byte[] b = new byte[64];
        System.arraycopy("GGUF".getBytes(), 0, b, 0, 4);
        b[4] = 3;
        Files.write(gguf, b);
        assertProblem(() -> SafetensorsFile.open(gguf), gguf.toString(), "not a safetensors file");
        Path onnxLike = dir.resolve("model.onnx.safetensors");
        byte[] o = new byte[64];
        o[0] = 8; // a small header length, but the header is not JSON
        o[8] = 8;
        Files.write(onnxLike, o);
        assertProblem(() -> SafetensorsFile.open(onnxLike), "not a safetensors file");
        Path brokenJson = dir.resolve("broken.safetensors");
        new SafetensorsWriter().addFloats("x", new long[] {1}, new float[] {1}).writeWithHeader(brokenJson, "{\"x\": {\"dtype\":");
        assertProblem(() -> SafetensorsFile.open(brokenJson), brokenJson.toString(), "not valid JSON");
    }

    @Test
    void badOffsetsAndEntriesAreRefused() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().addFloats("x", new long[] {2}, new float[] {1, 2});
        Path past = dir.resolve("past.safetensors");
        w.writeWithHeader(past, w.headerJson().replace("[0,8]", "[8,16]"));
        assertProblem(() -> SafetensorsFile.open(past), "'x'", "past the end");
        Path reversed = dir.resolve("reversed.safetensors");
        w.writeWithHeader(reversed, w.headerJson().replace("[0,8]", "[8,0]"));
        assertProblem(() -> SafetensorsFile.open(reversed), "'x'", "invalid data_offsets");
        Path noShape = dir.resolve("noshape.safetensors");
        w.writeWithHeader(noShape, "{\"x\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}");
        assertProblem(() -> SafetensorsFile.open(noShape), "'x'", "shape");
    }
}
