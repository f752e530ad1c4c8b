package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.util.Random;

/** Random but well-formed tensor bytes of any floating-point dtype, for tests. */
public final class RandomBlocks {
    private RandomBlocks() {
    }

    /**
     * {@code count} elements (whole blocks) of {@code type}: plain types get values uniform in [-1, 1);
     * quantized types get random quant bits and f16 scales of magnitude below 0.05.
     */
    public static byte[] of(DType type, int count, Random random) {
        byte[] b = new byte[Math.toIntExact(type.byteSize(count))];
        switch (type) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    int bits = Float.floatToRawIntBits(random.nextFloat() * 2 - 1);
                    for (int j = 0; j < 4; j++) {
                        b[4 * i + j] = (byte) (bits >> (8 * j));
                    }
                }
            }
            case F16, BF16 -> {
                for (int i = 0; i < count; i++) {
                    float v = random.nextFloat() * 2 - 1;
                    int bits = type == DType.F16 ? Float.floatToFloat16(v) : Float.floatToRawIntBits(v) >>> 16;
                    b[2 * i] = (byte) bits;
                    b[2 * i + 1] = (byte) (bits >> 8);
                }
            }
            default -> {
                random.nextBytes(b);
                int[] halfFields = switch (type) {
                    case Q8_0, Q4_0 -> new int[] {0};
                    case Q4_K -> new int[] {0, 2};
                    case Q6_K -> new int[] {208};
                    default -> throw new IllegalArgumentException(type.toString());
                };
                for (int blk = 0; blk < count / type.blockSize(); blk++) {
                    for (int field : halfFields) {
                        short bits = Float.floatToFloat16((random.nextFloat() * 2 - 1) * 0.05f);
                        int at = blk * type.blockBytes() + field;
                        b[at] = (byte) bits;
                        b[at + 1] = (byte) (bits >> 8);
                    }
                }
            }
        }
        return b;
    }
}
