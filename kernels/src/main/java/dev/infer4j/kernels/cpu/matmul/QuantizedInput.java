package dev.infer4j.kernels.cpu.matmul;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One row of x rounded to 8 bits per block of 32 inputs, for the integer GEMV kernels of 4-bit weights
 * (as llama.cpp does for its Q4 dot products): {@code x ≈ d · v} with {@code d = max|x| / 127} per block and
 * {@code v = round(x / d)} in {@code [-127, 127]}, so each input is off by at most {@code d / 2}. Values are
 * stored as 16-bit integers in input order, two per int: the pair {@code (v[2p], v[2p + 1])} that
 * {@link Q4_0Panels} broadcasts against its interleaved quants. A block with
 * a non-finite input gets scale NaN, so its outputs are NaN rather than silently wrong.
 */
final class QuantizedInput {
    static final int BLOCK = 32;

    /** Quantization uses 8 lanes everywhere: it is a small part of a GEMV, and 8 divides the half-block of 16. */
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Short> S8 = ShortVector.SPECIES_128;
    /** Adding and subtracting 1.5 · 2^23 rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUND = 0x1.8p23f;

    /** The 16-bit values in pairs: int {@code j} holds inputs {@code 2j} (low half) and {@code 2j + 1}. */
    int[] pairs = new int[0];
    /**
     * {@link #pairs} with the high half of each block (inputs 16..31) replaced by {@code v[i] - 16 v[i - 16]}
     * ({@code |value| <= 2159}, fits 16 bits), for {@link NibblePanels}, which then skips masking the low nibble.
     */
    int[] mixedPairs = new int[0];
    /** Per block: d. */
    float[] scales = new float[0];
    /** Per block: the sum of v over inputs 0..15, and over all 32 inputs. */
    int[] lowSums = new int[0];
    int[] sums = new int[0];
    private int capacity;

    /** Quantizes {@code k} floats of x at byte offset {@code xOff} ({@code k} a multiple of 32). */
    void quantize(MemorySegment x, long xOff, int k) {
        ensureCapacity(k);
        int blocks = k / BLOCK;
        ByteOrder order = ByteOrder.nativeOrder();
        for (int b = 0; b < blocks; b++) {
            long at = xOff + (long) b * BLOCK * Float.BYTES;
            FloatVector max = FloatVector.zero(F8);
            for (int i = 0; i < BLOCK; i += 8) {
                max = max.max(FloatVector.fromMemorySegment(F8, x, at + i * Float.BYTES, order).abs());
            }
            float amax = max.reduceLanes(VectorOperators.MAX);
            float d = amax / 127;
            if (!Float.isFinite(amax)) {
                d = Float.NaN;
                amax = 0; // stores zeros, which the NaN scale turns into NaN outputs
            }
            float inverse = amax == 0 ? 0 : 127 / amax;
            scales[b] = d;
            // second pass over the block (in L1): vectors are never handed to a method, which could box them
            int low = 0;
            int all = 0;
            for (int i = 0; i < BLOCK; i += 8) {
                FloatVector v = FloatVector.fromMemorySegment(F8, x, at + i * Float.BYTES, order);
                // |v · inverse| <= 127 (up to a rounding of the product), far below 2^22
                IntVector ints = (IntVector) v.mul(inverse).add(ROUND).sub(ROUND).convert(VectorOperators.F2I, 0);
                // eight 16-bit values are four pairs: the Vector API reinterprets lanes little-endian, so input 2j is
                // the low half of int j
                ((ShortVector) ints.convertShape(VectorOperators.I2S, S8, 0)).reinterpretAsInts()
                        .intoArray(pairs, (b * BLOCK + i) / 2);
                int sum = ints.reduceLanes(VectorOperators.ADD);
                all += sum;
                low += i < BLOCK / 2 ? sum : 0;
            }
            lowSums[b] = low;
            sums[b] = all;
            for (int j = 0; j < 16; j++) {
                int pj = b * 16 + j;
                int pair = pairs[pj];
                if (j >= 8) {
                    int lowPair = pairs[pj - 8];
                    int even = (short) pair - 16 * (short) lowPair;
                    int odd = (pair >> 16) - 16 * (lowPair >> 16);
                    pair = (even & 0xFFFF) | odd << 16;
                }
                mixedPairs[pj] = pair;
            }
        }
    }

    private void ensureCapacity(int k) {
        if (capacity < k) {
            pairs = new int[k / 2];
            mixedPairs = new int[k / 2];
            int blocks = k / BLOCK;
            scales = new float[blocks];
            lowSums = new int[blocks];
            sums = new int[blocks];
            capacity = k;
        }
    }
}
