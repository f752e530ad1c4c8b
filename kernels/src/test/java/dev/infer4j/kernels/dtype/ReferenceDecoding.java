package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;

/**
 * A deliberately plain decoder of ggml block formats over a byte array, written from the layout
 * descriptions independently of the production codecs (different loop structure, own half-float
 * decoding), so the two can check each other.
 */
final class ReferenceDecoding {
    private ReferenceDecoding() {
    }

    static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    static int u16(byte[] b, int at) {
        return u8(b, at) | u8(b, at + 1) << 8;
    }

    /** binary16 to float by its definition. */
    static float half(int bits) {
        int sign = (bits >> 15) & 1;
        int exp = (bits >> 10) & 0x1F;
        int mant = bits & 0x3FF;
        float magnitude;
        if (exp == 0) {
            magnitude = Math.scalb((float) mant, -24);
        } else if (exp == 31) {
            magnitude = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            magnitude = Math.scalb(1f + mant / 1024f, exp - 15);
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    static float[] decode(DType type, byte[] b, int count) {
        float[] y = new float[count];
        switch (type) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    y[i] = Float.intBitsToFloat(u16(b, 4 * i) | u16(b, 4 * i + 2) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    y[i] = half(u16(b, 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    y[i] = Float.intBitsToFloat(u16(b, 2 * i) << 16);
                }
            }
            case Q8_0 -> {
                for (int i = 0; i < count; i++) {
                    int block = i / 32 * 34;
                    y[i] = b[block + 2 + i % 32] * half(u16(b, block));
                }
            }
            case Q4_0 -> {
                for (int i = 0; i < count; i++) {
                    int block = i / 32 * 18;
                    int j = i % 32;
                    int packed = u8(b, block + 2 + j % 16);
                    int q = j < 16 ? packed & 0xF : packed >> 4;
                    y[i] = (q - 8) * half(u16(b, block));
                }
            }
            case Q4_K -> {
                for (int blk = 0; blk < count / 256; blk++) {
                    int at = blk * 144;
                    float d = half(u16(b, at));
                    float dmin = half(u16(b, at + 2));
                    int[] sc = new int[8];
                    int[] mn = new int[8];
                    for (int j = 0; j < 4; j++) {
                        int lowScaleByte = u8(b, at + 4 + j);
                        int lowMinByte = u8(b, at + 8 + j);
                        int tailByte = u8(b, at + 12 + j);
                        sc[j] = lowScaleByte & 0x3F;
                        mn[j] = lowMinByte & 0x3F;
                        sc[j + 4] = (tailByte & 0xF) + 16 * (lowScaleByte >> 6);
                        mn[j + 4] = (tailByte >> 4) + 16 * (lowMinByte >> 6);
                    }
                    for (int e = 0; e < 256; e++) {
                        int sub = e / 32;
                        int packed = u8(b, at + 16 + (sub / 2) * 32 + e % 32);
                        int q = sub % 2 == 0 ? packed & 0xF : packed >> 4;
                        y[blk * 256 + e] = d * sc[sub] * q - dmin * mn[sub];
                    }
                }
            }
            case Q6_K -> {
                for (int blk = 0; blk < count / 256; blk++) {
                    int at = blk * 210;
                    float d = half(u16(b, at + 208));
                    for (int half = 0; half < 2; half++) {
                        int ql = at + 64 * half;
                        int qh = at + 128 + 32 * half;
                        for (int l = 0; l < 32; l++) {
                            int[] q = {
                                (u8(b, ql + l) & 0xF) | ((u8(b, qh + l) & 3) << 4),
                                (u8(b, ql + l + 32) & 0xF) | (((u8(b, qh + l) >> 2) & 3) << 4),
                                (u8(b, ql + l) >> 4) | (((u8(b, qh + l) >> 4) & 3) << 4),
                                (u8(b, ql + l + 32) >> 4) | ((u8(b, qh + l) >> 6) << 4),
                            };
                            for (int quarter = 0; quarter < 4; quarter++) {
                                int e = 128 * half + 32 * quarter + l;
                                int scale = b[at + 192 + e / 16];
                                y[blk * 256 + e] = d * scale * (q[quarter] - 32);
                            }
                        }
                    }
                }
            }
            case I32 -> throw new IllegalArgumentException("I32");
        }
        return y;
    }
}
