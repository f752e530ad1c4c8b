package dev.infer4j.models.onnx;

import static dev.infer4j.models.testing.OnnxProtoWriter.FLOAT;
import static dev.infer4j.models.testing.OnnxProtoWriter.FLOAT16;
import static dev.infer4j.models.testing.OnnxProtoWriter.INT64;
import static dev.infer4j.models.testing.OnnxProtoWriter.floatsLE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.models.testing.OnnxProtoWriter;
import dev.infer4j.models.weights.ModelFormatException;
import dev.infer4j.models.weights.StoredTensor;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelFileTest {
    @TempDir
    Path dir;

    /** A miniature PyTorch-style export: named biases, an anonymous MatMul weight, a Gemm head, position ids. */
    private byte[] smallModel(List<byte[]> extraNodes, List<byte[]> extraInitializers) {
        List<byte[]> nodes = new ArrayList<>(List.of(
                OnnxProtoWriter.node("/encoder/layer.0/attention/self/query/MatMul", "MatMul", "",
                        List.of("x", "onnx::MatMul_7"), List.of("q"), Map.of()),
                OnnxProtoWriter.node("/encoder/layer.0/attention/self/query/Add", "Add", "",
                        List.of("encoder.layer.0.attention.self.query.bias", "q"), List.of("qb"), Map.of()),
                OnnxProtoWriter.node("/classifier/Gemm", "Gemm", "",
                        List.of("qb", "classifier.weight", "classifier.bias"), List.of("y"), Map.of("transB", 1L))));
        nodes.addAll(extraNodes);
        List<byte[]> inits = new ArrayList<>(List.of(
                OnnxProtoWriter.tensor("embeddings.position_ids", INT64, new long[] {1, 3}, new byte[24], false),
                // a 3-byte name keeps the following raw_data unaligned
                OnnxProtoWriter.tensor("onnx::MatMul_7", FLOAT, new long[] {2, 3}, floatsLE(1, 2, 3, 4, 5, 6), true),
                OnnxProtoWriter.floatDataTensor("encoder.layer.0.attention.self.query.bias", new long[] {3}, new float[] {0.5f, -1f, 2f}),
                OnnxProtoWriter.tensor("classifier.weight", FLOAT16, new long[] {2, 3},
                        new byte[] {0, 0x3C, 0, 0x40, 0, 0x42, 0, (byte) 0xBC, 0, 0, 0, 0x38}, false),
                OnnxProtoWriter.tensor("classifier.bias", FLOAT, new long[] {2}, floatsLE(0.25f, -0.25f), false)));
        inits.addAll(extraInitializers);
        return OnnxProtoWriter.model(OnnxProtoWriter.graph(nodes, inits, List.of(), List.of()), 14);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static float[] floats(Tensor t) {
        float[] out = new float[(int) t.elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.segment().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
        }
        return out;
    }

    @Test
    void mapsAnonymousMatMulWeightsThroughTheConsumingNodeName() throws IOException {
        try (OnnxModelFile f = OnnxModelFile.open(write("small.onnx", smallModel(List.of(), List.of())))) {
            assertEquals(5, f.initializers().size());
            assertEquals(3, f.nodes().size());
            StoredTensor q = f.require("encoder.layer.0.attention.self.query.weight");
            assertEquals(WeightLayout.IN_OUT, q.layout());
            assertArrayEquals(new long[] {2, 3}, q.tensor().shape());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, floats(q.tensor()));
            // the anonymous name itself is not a parameter
            assertNull(f.find("onnx::MatMul_7"));
            assertTrue(f.names().contains("embeddings.position_ids"));
        }
    }

    @Test
    void readsInPlaceWithoutCopyingEvenWhenUnaligned() throws IOException {
        Path p = write("small.onnx", smallModel(List.of(), List.of()));
        try (OnnxModelFile f = OnnxModelFile.open(p)) {
            OnnxInitializer raw = f.initializers().stream().filter(i -> i.name().equals("onnx::MatMul_7")).findFirst().orElseThrow();
            byte[] file = Files.readAllBytes(p);
            // the recorded offset points at the little-endian floats in the file itself
            assertArrayEquals(floatsLE(1, 2, 3, 4, 5, 6), Arrays.copyOfRange(file, (int) raw.dataOffset(), (int) (raw.dataOffset() + 24)));
            Tensor t = f.require("encoder.layer.0.attention.self.query.weight").tensor();
            assertTrue(t.segment().isMapped(), "views the mapped file");
            assertTrue(t.segment().heapBase().isEmpty(), "no heap copy");
            long[] offsets = f.initializers().stream().filter(i -> i.dataOffset() >= 0).mapToLong(i -> i.dataOffset() % 4).toArray();
            assertTrue(Arrays.stream(offsets).anyMatch(o -> o != 0), "the test file must exercise unaligned data: " + Arrays.toString(offsets));
        }
    }

    @Test
    void readsPackedFloatDataFloat16AndGemmLayouts() throws IOException {
        try (OnnxModelFile f = OnnxModelFile.open(write("small.onnx", smallModel(List.of(), List.of())))) {
            assertArrayEquals(new float[] {0.5f, -1f, 2f}, floats(f.require("encoder.layer.0.attention.self.query.bias").tensor()));
            StoredTensor w = f.require("classifier.weight");
            assertEquals(DType.F16, w.tensor().dtype());
            assertEquals(WeightLayout.OUT_IN, w.layout(), "Gemm with transB = 1 stores [out, in]");
            short[] halfs = new short[6];
            for (int i = 0; i < 6; i++) {
                halfs[i] = w.tensor().segment().getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i);
            }
            float[] decoded = new float[6];
            for (int i = 0; i < 6; i++) {
                decoded[i] = Float.float16ToFloat(halfs[i]);
            }
            assertArrayEquals(new float[] {1, 2, 3, -1, 0, 0.5f}, decoded);
        }
    }

    @Test
    void missingTensorNamesFileAndTensor() throws IOException {
        Path p = write("small.onnx", smallModel(List.of(), List.of()));
        try (OnnxModelFile f = OnnxModelFile.open(p)) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> f.require("encoder.layer.0.output.dense.weight"));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("encoder.layer.0.output.dense.weight")
                    && e.getMessage().contains("missing"), e.getMessage());
        }
    }

    @Test
    void viewingAnUnsupportedDataTypeSaysWhich() throws IOException {
        try (OnnxModelFile f = OnnxModelFile.open(write("small.onnx", smallModel(List.of(), List.of())))) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> f.require("embeddings.position_ids"));
            assertTrue(e.getMessage().contains("embeddings.position_ids") && e.getMessage().contains("INT64"), e.getMessage());
        }
    }

    @Test
    void unknownDataTypeFailsAtLoad() throws IOException {
        byte[] bad = smallModel(List.of(), List.of(OnnxProtoWriter.tensor("weird", 99, new long[] {1}, new byte[4], false)));
        Path p = write("bad-dtype.onnx", bad);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelFile.open(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("weird")
                && e.getMessage().contains("unknown ONNX data type code 99"), e.getMessage());
    }

    @Test
    void shapeThatDisagreesWithTheDataFailsAtLoad() throws IOException {
        byte[] bad = smallModel(List.of(), List.of(OnnxProtoWriter.tensor("pooler.dense.bias", FLOAT, new long[] {4}, floatsLE(1, 2, 3), false)));
        Path p = write("bad-shape.onnx", bad);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelFile.open(p));
        assertTrue(e.getMessage().contains("pooler.dense.bias") && e.getMessage().contains("needs 16 bytes")
                && e.getMessage().contains("holds 12"), e.getMessage());
    }

    @Test
    void truncatedFileFailsWithTheOffsetInsteadOfReadingPastTheEnd() throws IOException {
        byte[] whole = smallModel(List.of(), List.of());
        for (int cut : new int[] {whole.length - 1, whole.length - 20, whole.length / 2, 7}) {
            Path p = write("truncated-" + cut + ".onnx", Arrays.copyOf(whole, cut));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelFile.open(p), "cut at " + cut);
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("not"), e.getMessage());
        }
    }

    @Test
    void otherFileKindsAreNotOnnx() throws IOException {
        byte[] gguf = new byte[64];
        System.arraycopy("GGUF".getBytes(), 0, gguf, 0, 4);
        gguf[4] = 3;
        Path g = write("model.gguf", gguf);
        assertTrue(assertThrows(ModelFormatException.class, () -> OnnxModelFile.open(g)).getMessage().contains("not"));
        Path text = write("notes.onnx", "this is just some text, not a model\n".getBytes());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelFile.open(text));
        assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("not"), e.getMessage());
        Path empty = write("empty.onnx", new byte[0]);
        assertTrue(assertThrows(ModelFormatException.class, () -> OnnxModelFile.open(empty)).getMessage().contains("not an ONNX model"));
    }

    @Test
    void fusedGraphsAreRejectedAsOutOfScope() throws IOException {
        byte[] fused = smallModel(List.of(OnnxProtoWriter.node("Attention_0", "Attention", "com.microsoft",
                List.of("x"), List.of("a"), Map.of())), List.of());
        Path p = write("fused.onnx", fused);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelFile.open(p));
        assertTrue(e.getMessage().contains("com.microsoft:Attention") && e.getMessage().contains("out of scope"), e.getMessage());

        byte[] quantized = smallModel(List.of(OnnxProtoWriter.node("/q/MatMulInteger", "MatMulInteger", "",
                List.of("x", "w"), List.of("a"), Map.of())), List.of());
        Path q = write("quantized.onnx", quantized);
        assertTrue(assertThrows(ModelFormatException.class, () -> OnnxModelFile.open(q)).getMessage().contains("out of scope"));
    }

    @Test
    void externalDataIsRefused() throws IOException {
        Path p = write("external.onnx", smallModel(List.of(), List.of(OnnxProtoWriter.externalTensor("big.weight", new long[] {2, 2}))));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelFile.open(p));
        assertTrue(e.getMessage().contains("big.weight") && e.getMessage().contains("external"), e.getMessage());
    }

    @Test
    void twoInitializersMappingToOneParameterIsAnError() throws IOException {
        byte[] clash = smallModel(List.of(OnnxProtoWriter.node("/encoder/layer.0/attention/self/query/MatMul", "MatMul", "",
                List.of("x", "onnx::MatMul_8"), List.of("q2"), Map.of())),
                List.of(OnnxProtoWriter.tensor("onnx::MatMul_8", FLOAT, new long[] {1}, floatsLE(1), false)));
        Path p = write("clash.onnx", clash);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelFile.open(p));
        assertTrue(e.getMessage().contains("encoder.layer.0.attention.self.query.weight"), e.getMessage());
        assertNotEquals(-1, e.getMessage().indexOf("onnx::MatMul_8"));
    }
}
