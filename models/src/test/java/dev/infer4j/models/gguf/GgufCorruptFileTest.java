package dev.infer4j.models.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.testing.SharedModels;
import dev.infer4j.models.weights.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated and corrupt GGUF files fail at open with the offset and what was expected, never with another error. */
class GgufCorruptFileTest {
    @TempDir
    Path dir;

    private static byte[] sample() {
        try (Arena arena = Arena.ofConfined()) {
            return new GgufWriter()
                    .putString("general.architecture", "llama")
                    .putUInt32("llama.block_count", 1)
                    .putArray("tokenizer.ggml.tokens", GgufValueType.STRING, new String[] {"<s>", "a", "b"})
                    .putArray("tokenizer.ggml.scores", GgufValueType.FLOAT32, new float[] {0, -1, -2})
                    .putBool("flag", true)
                    .addTensor("first.weight", Tensor.ofFloats(arena, new float[] {1, 2, 3, 4, 5, 6}, 2, 3))
                    .addTensor("second.weight", Tensor.ofFloats(arena, new float[] {7, 8}, 2))
                    .toBytes();
        }
    }

    private ModelFormatException failsToOpen(byte[] bytes) {
        Path p = write(bytes);
        return assertThrows(ModelFormatException.class, () -> GgufFile.open(p).close());
    }

    private Path write(byte[] bytes) {
        Path p = dir.resolve("corrupt.gguf");
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
        }
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(needle + " not found");
    }

    private static void putInt(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    private static void putLong(byte[] b, int at, long v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }

    @Test
    void everyTruncationFailsWithAnOffsetUntilTheDataIsComplete() throws IOException {
        byte[] full = sample();
        long dataEnd;
        Path whole = write(full);
        try (GgufFile f = GgufFile.open(whole)) {
            GgufTensorInfo last = f.tensorInfo("second.weight");
            dataEnd = f.dataOffset() + last.dataOffset() + last.byteSize();
        }
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            if (len < dataEnd) {
                ModelFormatException e = failsToOpen(cut);
                assertTrue(e.getMessage().contains("byte offset"), "length " + len + ": " + e.getMessage());
            } else {
                GgufFile.open(write(cut)).close();
            }
        }
    }

    @Test
    void realFileTruncatedInTheDataNamesTheTensor() throws IOException {
        byte[] full = Files.readAllBytes(SharedModels.file("models/stories260K/stories260K.gguf"));
        assertMentions(failsToOpen(Arrays.copyOf(full, 1185120)), "blk.4.ffn_norm.weight", "runs past the end");
        assertMentions(failsToOpen(Arrays.copyOf(full, 5000)), "at byte offset", "truncated");
    }

    @Test
    void badMagicAndVersions() {
        byte[] b = sample();
        b[0] = 'X';
        assertMentions(failsToOpen(b), "not a GGUF file", "offset 0");
        for (int[] v : new int[][] {{1, 0}, {0x03000000, 1}, {7, 2}}) {
            b = sample();
            putInt(b, 4, v[0]);
            assertMentions(failsToOpen(b), switch (v[1]) {
                case 0 -> "version 1 is not supported";
                case 1 -> "big-endian";
                default -> "unknown GGUF version 7";
            });
        }
    }

    @Test
    void hugeCountsAndLengthsAreRefusedBeforeAllocating() {
        byte[] b = sample();
        putLong(b, 8, Long.MAX_VALUE);
        assertMentions(failsToOpen(b), "at byte offset 8", "tensor count");
        b = sample();
        putLong(b, 16, 1L << 40);
        assertMentions(failsToOpen(b), "at byte offset 16", "metadata count");
        b = sample();
        putLong(b, 24, -2);
        assertMentions(failsToOpen(b), "at byte offset 24", "key of metadata pair 0", "18446744073709551614");
        b = sample();
        int arrayCount = indexOf(b, "tokenizer.ggml.tokens") + "tokenizer.ggml.tokens".length() + 8;
        putLong(b, arrayCount, 1L << 33);
        assertMentions(failsToOpen(b), "at byte offset " + arrayCount, "array tokenizer.ggml.tokens", "8589934592");
        b = sample();
        int firstString = arrayCount + 8;
        putLong(b, firstString, 1L << 33);
        assertMentions(failsToOpen(b), "at byte offset " + firstString, "element 0 of tokenizer.ggml.tokens");
    }

    @Test
    void unknownValueTypesAndBadBools() {
        byte[] b = sample();
        int type = indexOf(b, "llama.block_count") + "llama.block_count".length();
        putInt(b, type, 13);
        assertMentions(failsToOpen(b), "at byte offset " + type, "unknown value type 13");
        b = sample();
        int elementType = indexOf(b, "tokenizer.ggml.scores") + "tokenizer.ggml.scores".length() + 4;
        putInt(b, elementType, 99);
        assertMentions(failsToOpen(b), "at byte offset " + elementType, "unknown element type 99");
        b = sample();
        int bool = indexOf(b, "flag") + 4 + 4;
        b[bool] = 2;
        assertMentions(failsToOpen(b), "at byte offset " + bool, "must be 0 or 1");
    }

    @Test
    void duplicateKeysAndTensorNames() {
        byte[] b;
        try (Arena arena = Arena.ofConfined()) {
            b = new GgufWriter().putUInt32("key.a", 1).putUInt32("key.b", 2)
                    .addTensor("t1.weight", Tensor.ofFloats(arena, new float[] {1}, 1))
                    .addTensor("t2.weight", Tensor.ofFloats(arena, new float[] {2}, 1))
                    .toBytes();
        }
        byte[] dupKey = b.clone();
        dupKey[indexOf(dupKey, "key.b") + 4] = 'a';
        assertMentions(failsToOpen(dupKey), "duplicate metadata key 'key.a'", "byte offset");
        byte[] dupTensor = b.clone();
        dupTensor[indexOf(dupTensor, "t2.weight") + 1] = '1';
        assertMentions(failsToOpen(dupTensor), "t1.weight", "appears twice");
    }

    @Test
    void unsupportedTensorTypeNamesTypeAndTensor() {
        byte[] b = sample();
        int typeAt = indexOf(b, "second.weight") + "second.weight".length() + 4 + 8;
        putInt(b, typeAt, 13);
        assertMentions(failsToOpen(b), "second.weight", "unsupported tensor type Q5_K (ggml type 13;", "byte offset " + typeAt);
        putInt(b, typeAt, 1000);
        assertMentions(failsToOpen(b), "unsupported tensor type unknown (ggml type 1000;");
    }

    @Test
    void badTensorInfos() {
        byte[] b = sample();
        int dims = indexOf(b, "first.weight") + "first.weight".length();
        putInt(b, dims, 5);
        assertMentions(failsToOpen(b), "first.weight", "5 dimensions");
        b = sample();
        putLong(b, dims + 4, 0);
        assertMentions(failsToOpen(b), "first.weight", "dimension 0 = 0");
        b = sample();
        int offset = indexOf(b, "second.weight") + "second.weight".length() + 4 + 8 + 4;
        putLong(b, offset, 36);
        assertMentions(failsToOpen(b), "data offset 36", "alignment 32");
        putLong(b, offset, 1L << 40);
        assertMentions(failsToOpen(b), "second.weight", "runs past the end");
        putLong(b, offset, 0);
        GgufFile.open(write(b)).close(); // overlapping tensors are legal GGUF
    }

    @Test
    void badAlignment() {
        byte[] ok = new GgufWriter().put(GgufFile.ALIGNMENT_KEY, GgufValueType.UINT32, 3).toBytes();
        assertMentions(failsToOpen(ok), "general.alignment must be a uint32 power of two", "3");
        byte[] wrongType = new GgufWriter().put(GgufFile.ALIGNMENT_KEY, GgufValueType.INT32, 32).toBytes();
        assertMentions(failsToOpen(wrongType), "general.alignment", "INT32");
    }

    @Test
    void deeplyNestedArraysAreRefused() {
        Object nested = new int[] {1};
        for (int i = 0; i < 20; i++) {
            nested = new Object[] {nested};
        }
        byte[] b = new GgufWriter().putArray("deep", GgufValueType.ARRAY, nested).toBytes();
        assertMentions(failsToOpen(b), "nested deeper than 8");
    }

    @Test
    void randomByteFlipsInTheHeaderNeverEscapeAsOtherErrors() throws IOException {
        byte[] full = Files.readAllBytes(SharedModels.file("models/stories260K/stories260K-Q4_0.gguf"));
        int header = 14176;
        SplittableRandom random = new SplittableRandom(42);
        int opened = 0;
        for (int trial = 0; trial < 300; trial++) {
            byte[] b = full.clone();
            for (int k = 0; k < 3; k++) {
                b[random.nextInt(header)] = (byte) random.nextInt(256);
            }
            try {
                GgufFile.open(write(b)).close();
                opened++;
            } catch (ModelFormatException expected) {
                assertTrue(expected.getMessage().startsWith(dir.resolve("corrupt.gguf").toString()));
            } catch (RuntimeException | Error other) {
                fail("trial " + trial + " escaped as " + other, other);
            }
        }
        assertTrue(opened > 0 && opened < 300, "flips landing in strings open, others fail: " + opened);
    }
}
