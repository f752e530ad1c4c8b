package dev.infer4j.models.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.testing.SharedModels;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {
    @TempDir
    Path dir;

    @Test
    void everyValueTypeRoundTripsToTheFixedRepresentation() throws IOException {
        GgufWriter w = new GgufWriter()
                .put("u8", GgufValueType.UINT8, 250)
                .put("i8", GgufValueType.INT8, -3)
                .put("u16", GgufValueType.UINT16, 65535)
                .put("i16", GgufValueType.INT16, -30000)
                .put("u32", GgufValueType.UINT32, 4294967295L)
                .put("i32", GgufValueType.INT32, -7)
                .put("u64", GgufValueType.UINT64, -1L)
                .put("i64", GgufValueType.INT64, Long.MIN_VALUE)
                .put("f32", GgufValueType.FLOAT32, 1.5f)
                .put("f64", GgufValueType.FLOAT64, -2.25)
                .put("b", GgufValueType.BOOL, true)
                .putString("s", "héllo ▁")
                .putArray("au8", GgufValueType.UINT8, new int[] {0, 255})
                .putArray("ai16", GgufValueType.INT16, new int[] {-1, 2})
                .putArray("au16", GgufValueType.UINT16, new int[] {65535})
                .putArray("ai32", GgufValueType.INT32, new int[] {1, -2, 3})
                .putArray("au32", GgufValueType.UINT32, new long[] {4294967295L})
                .putArray("ai64", GgufValueType.INT64, new long[] {-5})
                .putArray("af32", GgufValueType.FLOAT32, new float[] {0.5f, -1f})
                .putArray("af64", GgufValueType.FLOAT64, new double[] {3.0})
                .putArray("ab", GgufValueType.BOOL, new boolean[] {true, false})
                .putArray("as", GgufValueType.STRING, new String[] {"a", "", "ü"})
                .putArray("nested", GgufValueType.ARRAY, new Object[] {new int[] {1, 2}, new String[] {"x"}})
                .putArray("empty", GgufValueType.FLOAT32, new float[0]);
        Path p = dir.resolve("all.gguf");
        Files.write(p, w.toBytes());
        try (GgufFile f = GgufFile.open(p)) {
            Map<String, Object> m = f.metadata();
            assertEquals(250L, m.get("u8"));
            assertEquals(-3L, m.get("i8"));
            assertEquals(65535L, m.get("u16"));
            assertEquals(-30000L, m.get("i16"));
            assertEquals(4294967295L, m.get("u32"));
            assertEquals(-7L, m.get("i32"));
            assertEquals(-1L, m.get("u64"));
            assertEquals(Long.MIN_VALUE, m.get("i64"));
            assertEquals(1.5f, m.get("f32"));
            assertEquals(-2.25, m.get("f64"));
            assertEquals(Boolean.TRUE, m.get("b"));
            assertEquals("héllo ▁", m.get("s"));
            assertArrayEquals(new int[] {0, 255}, (int[]) m.get("au8"));
            assertArrayEquals(new int[] {-1, 2}, (int[]) m.get("ai16"));
            assertArrayEquals(new int[] {65535}, (int[]) m.get("au16"));
            assertArrayEquals(new int[] {1, -2, 3}, (int[]) m.get("ai32"));
            assertArrayEquals(new long[] {4294967295L}, (long[]) m.get("au32"));
            assertArrayEquals(new long[] {-5}, (long[]) m.get("ai64"));
            assertArrayEquals(new float[] {0.5f, -1f}, (float[]) m.get("af32"));
            assertArrayEquals(new double[] {3.0}, (double[]) m.get("af64"));
            assertArrayEquals(new boolean[] {true, false}, (boolean[]) m.get("ab"));
            assertArrayEquals(new String[] {"a", "", "ü"}, (String[]) m.get("as"));
            Object[] nested = assertInstanceOf(Object[].class, m.get("nested"));
            assertArrayEquals(new int[] {1, 2}, (int[]) nested[0]);
            assertArrayEquals(new String[] {"x"}, (String[]) nested[1]);
            assertEquals(0, ((float[]) m.get("empty")).length);
            assertEquals(GgufValueType.UINT16, f.arrayElementType("au16"));
        }
    }

    @Test
    void tensorsAreAlignedAndViewedWithReversedDimensions() {
        try (Arena arena = Arena.ofConfined()) {
            float[] values = new float[6];
            for (int i = 0; i < values.length; i++) {
                values[i] = i * 0.5f;
            }
            MemorySegment q8 = arena.allocate(DType.Q8_0.byteSize(64));
            for (int i = 0; i < q8.byteSize(); i++) {
                q8.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            Path p = dir.resolve("t.gguf");
            new GgufWriter().put(GgufFile.ALIGNMENT_KEY, GgufValueType.UINT32, 64)
                    .addTensor("a", Tensor.ofFloats(arena, values, 2, 3))
                    .addTensor("b", DType.Q8_0, new long[] {2, 32}, q8)
                    .write(p);
            try (GgufFile f = GgufFile.open(p)) {
                assertEquals(64, f.alignment());
                assertEquals(0, f.dataOffset() % 64);
                assertArrayEquals(new long[] {3, 2}, f.tensorInfo("a").ne());
                assertEquals(64, f.tensorInfo("b").dataOffset());
                Tensor a = f.tensor("a");
                assertArrayEquals(new long[] {2, 3}, a.shape());
                assertArrayEquals(values, a.segment().toArray(ValueLayout.JAVA_FLOAT));
                assertArrayEquals(q8.toArray(ValueLayout.JAVA_BYTE), f.tensor("b").segment().toArray(ValueLayout.JAVA_BYTE));
                assertEquals(0, Files.size(p) % 64, "the last tensor is padded too, as ggml expects");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void rewritingARealFileKeepsMetadataTypesAndTensorBytes() {
        Path out = dir.resolve("copy.gguf");
        try (GgufFile src = GgufFile.open(SharedModels.file("models/stories260K/stories260K-Q4_0.gguf"))) {
            GgufWriter w = new GgufWriter().copyMetadata(src);
            for (GgufTensorInfo t : src.tensorInfos()) {
                w.addTensor(t.name(), src.tensor(t.name()));
            }
            w.write(out);
            try (GgufFile copy = GgufFile.open(out)) {
                assertEquals(src.metadata().keySet(), copy.metadata().keySet());
                for (String key : src.metadata().keySet()) {
                    assertEquals(src.valueType(key), copy.valueType(key), key);
                    assertEquals(src.arrayElementType(key), copy.arrayElementType(key), key);
                }
                assertArrayEquals((String[]) src.metadata().get("tokenizer.ggml.tokens"),
                        (String[]) copy.metadata().get("tokenizer.ggml.tokens"));
                for (GgufTensorInfo t : src.tensorInfos()) {
                    assertArrayEquals(t.ne(), copy.tensorInfo(t.name()).ne());
                    assertEquals(t.dataOffset(), copy.tensorInfo(t.name()).dataOffset(), t.name());
                    assertArrayEquals(src.tensor(t.name()).segment().toArray(ValueLayout.JAVA_BYTE),
                            copy.tensor(t.name()).segment().toArray(ValueLayout.JAVA_BYTE), t.name());
                }
            }
        }
    }
}
