package dev.infer4j.kernels.dtype;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Hand-built blocks whose decoded values are worked out by hand from the ggml layouts. */
class KnownBlocksTest {

    private static float[] decode(DType type, byte[] bytes, int count) {
        float[] out = new float[count];
        Dequantizer.dequantize(type, MemorySegment.ofArray(bytes), 0, out, 0, count);
        return out;
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
    }

    @Test
    void f32IsLittleEndian() {
        byte[] b = new byte[8];
        putShort(b, 0, 0);
        putShort(b, 2, 0x3FC0); // 1.5f = 0x3FC00000
        putShort(b, 4, 0);
        putShort(b, 6, 0xC120); // -10f = 0xC1200000
        assertArrayEquals(new float[] {1.5f, -10f}, decode(DType.F32, b, 2));
    }

    @Test
    void f16CoversNormalsSubnormalsAndSpecials() {
        int[] halves = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x7C00, 0x3555};
        byte[] b = new byte[2 * halves.length];
        for (int i = 0; i < halves.length; i++) {
            putShort(b, 2 * i, halves[i]);
        }
        float[] v = decode(DType.F16, b, halves.length);
        assertEquals(1f, v[0]);
        assertEquals(-2f, v[1]);
        assertEquals(65504f, v[2]);
        assertEquals(0x1p-24f, v[3]);
        assertEquals(-0f, v[4]);
        assertEquals(Float.POSITIVE_INFINITY, v[5]);
        assertEquals(0.33325195f, v[6]); // 0x3555 = 2^-2 * (1 + 341/1024)
    }

    @Test
    void bf16IsTheUpperHalfOfAFloat() {
        byte[] b = new byte[6];
        putShort(b, 0, 0x3F80);
        putShort(b, 2, 0xC040);
        putShort(b, 4, 0x4049);
        assertArrayEquals(new float[] {1f, -3f, 3.140625f}, decode(DType.BF16, b, 3));
    }

    @Test
    void q8_0IsScaleThenSignedBytes() {
        byte[] b = new byte[34];
        putShort(b, 0, 0x3800); // d = 0.5
        b[2] = 1;
        b[3] = -1;
        b[4] = 127;
        b[5] = -128;
        b[33] = 6;
        float[] v = decode(DType.Q8_0, b, 32);
        assertEquals(0.5f, v[0]);
        assertEquals(-0.5f, v[1]);
        assertEquals(63.5f, v[2]);
        assertEquals(-64f, v[3]);
        assertEquals(0f, v[4]);
        assertEquals(3f, v[31]);
    }

    @Test
    void q4_0LowNibblesFirstHalfHighNibblesSecondHalf() {
        byte[] b = new byte[36];
        putShort(b, 0, 0x4000); // d = 2
        b[2] = 0x0F; // element 0: (15-8)*2 = 14, element 16: (0-8)*2 = -16
        b[17] = (byte) 0x9A; // element 15: (10-8)*2 = 4, element 31: (9-8)*2 = 2
        putShort(b, 18, 0xBC00); // second block d = -1
        b[20] = (byte) 0x88; // elements 32 and 48: 0
        b[21] = 0x31; // element 33: (1-8)*-1 = 7, element 49: (3-8)*-1 = 5
        float[] v = decode(DType.Q4_0, b, 64);
        assertEquals(14f, v[0]);
        assertEquals(-16f, v[16]);
        assertEquals(4f, v[15]);
        assertEquals(2f, v[31]);
        assertEquals(-16f, v[1]); // zero byte: both nibbles are -8 * d
        assertEquals(-0f, v[32]);
        assertEquals(7f, v[33]);
        assertEquals(5f, v[49]);
    }

    @Test
    void q4_KSixBitScalesAndMins() {
        int[] sc = {1, 2, 3, 4, 33, 40, 63, 17};
        int[] mn = {0, 1, 5, 7, 20, 32, 63, 2};
        byte[] b = new byte[144];
        putShort(b, 0, 0x3C00); // d = 1
        putShort(b, 2, 0x3800); // dmin = 0.5
        // sub-blocks 0..3: 6 bits in scales[j] / scales[j+4]; 4..7: low 4 bits in scales[j+4] (j = 4..7),
        // high 2 bits in the top of scales[j-4] / scales[j]
        for (int j = 0; j < 4; j++) {
            b[4 + j] = (byte) (sc[j] | (sc[j + 4] >> 4) << 6);
            b[4 + j + 4] = (byte) (mn[j] | (mn[j + 4] >> 4) << 6);
            b[4 + j + 8] = (byte) ((sc[j + 4] & 0xF) | (mn[j + 4] & 0xF) << 4);
        }
        b[16] = (byte) 0xA3; // element 0: 1*1*3 - 0.5*0 = 3; element 32 (sub-block 1): 2*10 - 0.5*1 = 19.5
        b[16 + 96 + 8] = 0x5F; // element 200 (sub-block 6, low nibble): 63*15 - 0.5*63 = 913.5; element 232: 17*5 - 1 = 84
        b[16 + 127] = (byte) 0xF0; // element 223: 63*0 - 31.5; element 255 (sub-block 7): 17*15 - 0.5*2 = 254
        b[16 + 64] = 0x21; // element 128 (sub-block 4): 33*1 - 10 = 23; element 160 (sub-block 5): 40*2 - 16 = 64
        float[] v = decode(DType.Q4_K, b, 256);
        assertEquals(3f, v[0]);
        assertEquals(19.5f, v[32]);
        assertEquals(913.5f, v[200]);
        assertEquals(84f, v[232]);
        assertEquals(-31.5f, v[223]);
        assertEquals(254f, v[255]);
        assertEquals(23f, v[128]);
        assertEquals(64f, v[160]);
        assertEquals(-2.5f, v[64]); // sub-block 2, q = 0: -0.5 * 5
    }

    @Test
    void q6_KSplitsQuantsOverQlAndQh() {
        byte[] b = new byte[210];
        for (int g = 0; g < 16; g++) {
            b[192 + g] = (byte) (g - 8); // scales -8..7
        }
        putShort(b, 208, 0x3800); // d = 0.5
        // element 0: ql[0] low nibble, qh[0] bits 0-1; element 64: ql[0] high nibble, qh[0] bits 4-5
        b[0] = (byte) 0x7C; // low 12, high 7
        b[128] = (byte) 0b11_10_01_11; // g0 = 3, g1 = 1, g2 = 2, g3 = 3
        // element 0: q = 12 | 3<<4 = 60 -> (60-32) * 0.5 * scale[0] (-8) = -112
        // element 32: ql[32] low nibble (0) | g1 (1)<<4 = 16 -> (16-32) * 0.5 * scale[2] (-6) = 48
        // element 64: q = 7 | 2<<4 = 39 -> 7 * 0.5 * scale[4] (-4) = -14
        // element 96: ql[32] high nibble (0) | 3<<4 = 48 -> 16 * 0.5 * scale[6] (-2) = -16
        b[64 + 31 + 32] = (byte) 0xF5; // second half, ql[64 + 63]: element 128+63 = 191 (low nibble), 255 (high)
        b[128 + 32 + 31] = (byte) 0b01_00_10_00; // qh for l = 31 of the second half: g1 = 2, g3 = 1
        // element 191: 5 | 2<<4 = 37 -> 5 * 0.5 * scale[11] (3) = 7.5; element 255: 15 | 1<<4 = 31 -> -1 * 0.5 * 7 = -3.5
        float[] v = decode(DType.Q6_K, b, 256);
        assertEquals(-112f, v[0]);
        assertEquals(48f, v[32]);
        assertEquals(-14f, v[64]);
        assertEquals(-16f, v[96]);
        assertEquals(7.5f, v[191]);
        assertEquals(-3.5f, v[255]);
        assertEquals(128f, v[1]); // all-zero bits: (0-32) * 0.5 * -8
    }

    @Test
    void q8_0QuantizerRoundsHalvesAwayFromZero() {
        float[] x = new float[32];
        x[0] = 127f; // d = 1, so q = round(x)
        x[1] = -2.5f;
        x[2] = 2.5f;
        x[3] = 0.49999997f;
        x[4] = -0.5f;
        x[5] = 1.4999999f;
        byte[] b = new byte[34];
        Quantizer.quantize(DType.Q8_0, x, 0, MemorySegment.ofArray(b), 0, 32);
        assertEquals(0x3C00, (b[0] & 0xFF) | (b[1] & 0xFF) << 8);
        assertArrayEquals(new byte[] {127, -3, 3, 0, -1, 1, 0}, java.util.Arrays.copyOfRange(b, 2, 9));
    }

    @Test
    void q8_0QuantizerScaleIsMaxOver127() {
        float[] x = new float[32];
        for (int i = 0; i < 32; i++) {
            x[i] = (i - 16) * 0.25f; // max |x| = 4 at i = 0
        }
        byte[] b = new byte[34];
        Quantizer.quantize(DType.Q8_0, x, 0, MemorySegment.ofArray(b), 0, 32);
        assertEquals(0x2808, (b[0] & 0xFF) | (b[1] & 0xFF) << 8); // f16(4/127) = 2^-5 * (1 + 8/1024)
        assertEquals(-127, b[2]); // -4 * 31.75
        assertEquals(8, b[2 + 17]); // 0.25 * 31.75 = 7.94
        assertEquals(16, b[2 + 18]); // 15.875
        assertEquals(119, b[2 + 31]); // 3.75 * 31.75 = 119.06
    }

    @Test
    void q4_0QuantizerMapsTheLargestMagnitudeToMinus8() {
        float[] x = new float[32];
        for (int i = 0; i < 32; i++) {
            x[i] = i - 8; // -8..23: the largest magnitude is 23, so d = -23/8 = -2.875
        }
        byte[] b = new byte[18];
        Quantizer.quantize(DType.Q4_0, x, 0, MemorySegment.ofArray(b), 0, 32);
        assertEquals(0xC1C0, (b[0] & 0xFF) | (b[1] & 0xFF) << 8);
        // q = trunc(x / -2.875 + 8.5): x=-8 -> 11; x=7 (i=15) -> 6; x=8 (i=16) -> 5; x=23 (i=31) -> 0
        assertEquals(11, b[2] & 0xF);
        assertEquals(6, b[2 + 15] & 0xF);
        assertEquals(5, (b[2] >> 4) & 0xF);
        assertEquals(0, (b[2 + 15] >> 4) & 0xF);
        assertEquals(8, b[2 + 8] & 0xF); // x = 0
    }

    @Test
    void q4_0QuantizerClampsThePositiveEndAt15() {
        float[] x = new float[32];
        x[3] = -16f; // d = 2, id = 0.5
        x[4] = 16f; // 16 * 0.5 + 8.5 = 16.5 -> clamped to 15
        x[5] = 14.9f; // 7.45 + 8.5 = 15.95 -> 15
        x[6] = -15.1f; // -7.55 + 8.5 = 0.95 -> 0
        byte[] b = new byte[18];
        Quantizer.quantize(DType.Q4_0, x, 0, MemorySegment.ofArray(b), 0, 32);
        assertEquals(0x4000, (b[0] & 0xFF) | (b[1] & 0xFF) << 8);
        assertArrayEquals(new int[] {8, 0, 15, 15, 0}, new int[] {
                b[2] & 0xF, b[2 + 3] & 0xF, b[2 + 4] & 0xF, b[2 + 5] & 0xF, b[2 + 6] & 0xF});
    }
}
