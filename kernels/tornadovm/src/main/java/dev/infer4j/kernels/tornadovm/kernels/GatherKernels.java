package dev.infer4j.kernels.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Row gathers (embedding lookups from a resident table, in any resident weight format; see
 * {@link LinearKernels} for the formats) and mean pooling. One work-item per output element.
 * The per-row list (token ids, sequence lengths) starts at {@link Params#LIST}.
 */
public final class GatherKernels {
    private static final int QK = 32;

    private GatherKernels() {
    }

    /** {@code out[i, d] = table[ids[i], d]}: p0 rows, p1 dim, p2 table (constants), p3 out. */
    public static void gatherF32(KernelContext ctx, FloatArray acts, FloatArray consts, IntArray p) {
        int i = ctx.globalIdx;
        int dim = p.get(1);
        if (i < p.get(0) * dim) {
            int row = p.get(Params.LIST + i / dim);
            acts.set(p.get(3) + i, consts.get(p.get(2) + row * dim + i % dim));
        }
    }

    /** As {@link #gatherF32} from a half table: p2 table (halves). */
    public static void gatherF16(KernelContext ctx, FloatArray acts, HalfFloatArray halfs, IntArray p) {
        int i = ctx.globalIdx;
        int dim = p.get(1);
        if (i < p.get(0) * dim) {
            int row = p.get(Params.LIST + i / dim);
            acts.set(p.get(3) + i, halfs.get(p.get(2) + row * dim + i % dim).getFloat32());
        }
    }

    /** As {@link #gatherF32} from a Q8_0 table: p2 quants (bytes), p4 scales (constants). */
    public static void gatherQ8(KernelContext ctx, FloatArray acts, FloatArray consts, ByteArray quants, IntArray p) {
        int i = ctx.globalIdx;
        int dim = p.get(1);
        if (i < p.get(0) * dim) {
            int e = p.get(Params.LIST + i / dim) * dim + i % dim;
            acts.set(p.get(3) + i, quants.get(p.get(2) + e) * consts.get(p.get(4) + e / QK));
        }
    }

    /** As {@link #gatherF32} from a Q4_0 table: p2 nibbles (bytes), p4 scales (constants). */
    public static void gatherQ4(KernelContext ctx, FloatArray acts, FloatArray consts, ByteArray quants, IntArray p) {
        int i = ctx.globalIdx;
        int dim = p.get(1);
        if (i < p.get(0) * dim) {
            int e = p.get(Params.LIST + i / dim) * dim + i % dim;
            int block = e / QK;
            int j = e % QK;
            int packed = quants.get(p.get(2) + block * (QK / 2) + j % (QK / 2)) & 0xFF;
            int nibble = j < QK / 2 ? packed & 0xF : packed >> 4;
            acts.set(p.get(3) + i, ((float) nibble - 8f) * consts.get(p.get(4) + block));
        }
    }

    /**
     * Mean of the first {@code lengths[b]} rows of each sequence: p0 batch, p1 sequence length, p2 dim, p3 x,
     * p4 out; lengths in the list.
     */
    public static void meanPool(KernelContext ctx, FloatArray acts, IntArray p) {
        int i = ctx.globalIdx;
        int dim = p.get(2);
        if (i < p.get(0) * dim) {
            int b = i / dim;
            int d = i % dim;
            int length = p.get(Params.LIST + b);
            int row = p.get(3) + b * p.get(1) * dim + d;
            float sum = 0f;
            for (int r = 0; r < length; r++) {
                sum += acts.get(row + r * dim);
            }
            acts.set(p.get(4) + i, length > 0 ? sum / length : 0f);
        }
    }
}
