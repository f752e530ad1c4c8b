package dev.infer4j.kernels.dtype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Properties every codec must have, checked on random data against {@link ReferenceDecoding}. */
class CodecContractTest {

    /** Random bytes that form valid blocks: every f16 scale field gets a finite value of moderate size. */
    static byte[] randomBlocks(DType type, int blocks, Random random) {
        if (!type.isQuantized()) {
            // any bit pattern, NaN and infinities included, must decode like the reference
            byte[] b = new byte[Math.toIntExact(type.byteSize(blocks))];
            random.nextBytes(b);
            return b;
        }
        return RandomBlocks.of(type, blocks * type.blockSize(), random);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = "I32", mode = EnumSource.Mode.EXCLUDE)
    void dequantizeMatchesTheReferenceDecodingExactly(DType type) {
        Random random = new Random(type.ordinal() * 31L + 7);
        int perRow = type.blockSize() == 1 ? 37 : 3 * type.blockSize();
        for (int rows : new int[] {1, 3, 5}) {
            int count = rows * perRow;
            byte[] bytes = randomBlocks(type, count / type.blockSize(), random);
            float[] expected = ReferenceDecoding.decode(type, bytes, count);
            float[] actual = new float[count];
            // row by row, as embedding lookups do, into a shared output
            long rowBytes = type.byteSize(perRow);
            for (int r = 0; r < rows; r++) {
                Dequantizer.dequantize(type, MemorySegment.ofArray(bytes), r * rowBytes, actual, r * perRow, perRow);
            }
            for (int i = 0; i < count; i++) {
                assertEquals(expected[i], actual[i], type + " element " + i + " of " + rows + " rows");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = "I32", mode = EnumSource.Mode.EXCLUDE)
    void dequantizeHonoursOffsetsAndLeavesTheRestAlone(DType type) {
        Random random = new Random(11);
        int blocks = 4;
        int count = blocks * type.blockSize();
        byte[] bytes = randomBlocks(type, blocks, random);
        float[] all = ReferenceDecoding.decode(type, bytes, count);
        int skip = type.blockSize() == 1 ? 3 : type.blockSize();
        float[] out = new float[count + 10];
        java.util.Arrays.fill(out, 42f);
        Dequantizer.dequantize(type, MemorySegment.ofArray(bytes), type.byteSize(skip), out, 5, count - skip);
        for (int i = 0; i < out.length; i++) {
            float want = i < 5 || i >= 5 + count - skip ? 42f : all[skip + i - 5];
            assertEquals(want, out[i], "slot " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = "I32", mode = EnumSource.Mode.EXCLUDE)
    void badArgumentsAreRejectedWithAMessage(DType type) {
        MemorySegment src = MemorySegment.ofArray(new byte[Math.toIntExact(type.byteSize(2L * type.blockSize()))]);
        float[] dst = new float[2 * type.blockSize()];
        if (type.isQuantized()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> Dequantizer.dequantize(type, src, 0, dst, 0, type.blockSize() + 1));
            assertTrue(e.getMessage().contains("multiple"), e.getMessage());
        }
        assertThrows(IndexOutOfBoundsException.class,
                () -> Dequantizer.dequantize(type, src, 1, dst, 0, 2 * type.blockSize()));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Dequantizer.dequantize(type, src, -1, dst, 0, type.blockSize()));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Dequantizer.dequantize(type, src, 0, dst, 1, 2 * type.blockSize()));
        assertThrows(IllegalArgumentException.class, () -> Dequantizer.dequantize(type, src, 0, dst, 0, -1));
    }

    @Test
    void i32HasNoCodec() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Dequantizer.dequantize(DType.I32, MemorySegment.ofArray(new byte[4]), 0, new float[1], 0, 1));
        assertTrue(e.getMessage().contains("I32"));
        assertThrows(IllegalArgumentException.class,
                () -> Quantizer.quantize(DType.Q4_K, new float[256], 0, MemorySegment.ofArray(new byte[144]), 0, 256));
    }

    /**
     * Round trip through each quantizer stays within half a step (Q8_0: step {@code max/127}) or one step
     * (Q4_0, whose positive end is clamped: step {@code max/8}), plus the error of storing the scale as f16.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Q8_0", "Q4_0"})
    void quantizeRoundTripsWithinTheStepSize(String name) {
        DType type = DType.valueOf(name);
        Random random = new Random(5);
        for (int rows : new int[] {1, 3, 7}) {
            int count = rows * 5 * 32;
            float[] x = new float[count];
            for (int i = 0; i < count; i++) {
                float magnitude = (float) Math.pow(10, (i / 32 % 5) - 3); // blocks from 1e-3 to 10
                x[i] = (float) random.nextGaussian() * magnitude;
            }
            x[64 + 5] = 0f; // a block with zeros in it
            java.util.Arrays.fill(x, 96, 128, 0f); // an all-zero block
            byte[] q = new byte[Math.toIntExact(type.byteSize(count))];
            Quantizer.quantize(type, x, 0, MemorySegment.ofArray(q), 0, count);
            float[] back = new float[count];
            Dequantizer.dequantize(type, MemorySegment.ofArray(q), 0, back, 0, count);
            for (int blk = 0; blk < count / 32; blk++) {
                float amax = 0;
                for (int i = 0; i < 32; i++) {
                    amax = Math.max(amax, Math.abs(x[blk * 32 + i]));
                }
                float step = type == DType.Q8_0 ? amax / 127 : amax / 8;
                float bound = (type == DType.Q8_0 ? 0.5f : 1f) * step + amax * 0x1p-10f;
                for (int i = blk * 32; i < blk * 32 + 32; i++) {
                    assertTrue(Math.abs(x[i] - back[i]) <= bound,
                            type + " value " + i + ": " + x[i] + " came back as " + back[i] + " (bound " + bound + ")");
                }
            }
            for (int i = 96; i < 128; i++) {
                assertEquals(0f, Math.abs(back[i]), "all-zero block decodes to zeros");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Q8_0", "Q4_0"})
    void quantizeWritesOnlyItsBlocks(String name) {
        DType type = DType.valueOf(name);
        float[] x = new float[96];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) - 3.3f;
        }
        byte[] whole = new byte[Math.toIntExact(type.byteSize(64))];
        Quantizer.quantize(type, x, 32, MemorySegment.ofArray(whole), 0, 64);
        byte[] shifted = new byte[whole.length + type.blockBytes() + 3];
        java.util.Arrays.fill(shifted, (byte) 0x5A);
        Quantizer.quantize(type, x, 32, MemorySegment.ofArray(shifted), 3, 64);
        for (int i = 0; i < shifted.length; i++) {
            byte want = i < 3 || i >= 3 + whole.length ? 0x5A : whole[i - 3];
            assertEquals(want, shifted[i], "byte " + i);
        }
        assertThrows(IndexOutOfBoundsException.class,
                () -> Quantizer.quantize(type, x, 64, MemorySegment.ofArray(whole), 0, 64));
        assertThrows(IllegalArgumentException.class,
                () -> Quantizer.quantize(type, x, 0, MemorySegment.ofArray(whole), 0, 33));
    }
}
