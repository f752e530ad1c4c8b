package dev.infer4j.benchmarks.kernels;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.dtype.Quantizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** Random weight tensors of any dtype for the benchmarks (values are irrelevant to speed, formats are not). */
final class BenchWeights {
    private BenchWeights() {
    }

    /** A {@code rows x cols} tensor of {@code type} in {@code arena}, random values of magnitude below 1. */
    static Tensor random(Arena arena, DType type, int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = Tensor.allocate(arena, type, rows, cols);
        MemorySegment seg = t.segment();
        float[] row = new float[cols];
        switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0 -> {
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        row[c] = (float) (random.nextDouble() * 2 - 1);
                    }
                    long at = r * t.rowBytes();
                    switch (type) {
                        case F32 -> MemorySegment.copy(row, 0, seg, ValueLayout.JAVA_FLOAT, at, cols);
                        case F16 -> {
                            for (int c = 0; c < cols; c++) {
                                seg.set(ValueLayout.JAVA_SHORT, at + 2L * c, Float.floatToFloat16(row[c]));
                            }
                        }
                        case BF16 -> {
                            for (int c = 0; c < cols; c++) {
                                seg.set(ValueLayout.JAVA_SHORT, at + 2L * c, (short) (Float.floatToRawIntBits(row[c]) >>> 16));
                            }
                        }
                        default -> Quantizer.quantize(type, row, 0, seg, at, cols);
                    }
                }
            }
            case Q4_K, Q6_K -> {
                // random quant bits; the f16 scale fields get small finite values
                for (long i = 0; i < seg.byteSize(); i++) {
                    seg.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
                }
                int[] halves = type == DType.Q4_K ? new int[] {0, 2} : new int[] {208};
                for (long b = 0; b < seg.byteSize() / type.blockBytes(); b++) {
                    for (int field : halves) {
                        seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, b * type.blockBytes() + field,
                                Float.floatToFloat16((float) random.nextDouble() * 0.01f));
                    }
                }
            }
            case I32 -> throw new IllegalArgumentException("I32 is not a weight type");
        }
        return t;
    }
}
