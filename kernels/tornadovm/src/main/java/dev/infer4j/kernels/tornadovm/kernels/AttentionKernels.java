package dev.infer4j.kernels.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Rotary position embedding and scaled dot-product attention. */
public final class AttentionKernels {
    /** Keys scored per step of the attention loop, and work-items per (query, head) work-group. */
    public static final int KEY_BLOCK = 64;
    /** Each work-item of an attention group owns this many output dimensions: head dimensions up to 4 × 64. */
    public static final int MAX_HEAD_DIM = 4 * KEY_BLOCK;
    private static final double TWO_PI = 2 * Math.PI;
    private static final float MASKED = -Float.MAX_VALUE;

    private AttentionKernels() {
    }

    /**
     * Rotates pairs of each head in place, one work-item per (token, head, pair). p0 tokens, p1 heads,
     * p2 head dim, p3 rotated dims, p4 1 for NeoX pairs {@code (i, i + rot/2)} else adjacent pairs
     * {@code (2i, 2i+1)}, p5 x, p6 frequency table (constants: {@code rot/2} pairs of floats whose sum is
     * the frequency, so that the angle is formed in double precision); f0 position scale; positions in the list.
     */
    public static void rope(KernelContext ctx, FloatArray acts, FloatArray consts, IntArray p, FloatArray f) {
        int g = ctx.globalIdx;
        int heads = p.get(1);
        int headDim = p.get(2);
        int half = p.get(3) / 2;
        if (g < p.get(0) * heads * half) {
            int pair = g % half;
            int head = (g / half) % heads;
            int token = g / (half * heads);
            int freq = p.get(6) + 2 * pair;
            double frequency = (double) consts.get(freq) + (double) consts.get(freq + 1);
            double angle = (double) p.get(Params.LIST + token) * (double) f.get(0) * frequency;
            // Math.floor would reinterpret bits, which TornadoVM's OpenCL backend cannot emit: truncate instead
            angle = angle - TWO_PI * (double) (long) (angle / TWO_PI);
            float cos = TornadoMath.cos((float) angle);
            float sin = TornadoMath.sin((float) angle);
            int base = p.get(5) + (token * heads + head) * headDim;
            int i0 = base + 2 * pair;
            int i1 = i0 + 1;
            if (p.get(4) == 1) {
                i0 = base + pair;
                i1 = i0 + half;
            }
            float x0 = acts.get(i0);
            float x1 = acts.get(i1);
            acts.set(i0, x0 * cos - x1 * sin);
            acts.set(i1, x0 * sin + x1 * cos);
        }
    }

    /**
     * Attention of one query row and one head per work-group of {@link #KEY_BLOCK} work-items, over blocks
     * of keys with an online softmax (running maximum and sum, flash-attention style), so that memory does not
     * grow with the context. Grouped-query heads share key/value head {@code head / (heads / kvHeads)}.
     * p0 heads, p1 kv heads, p2 head dim, p3 1 if causal, p4 query length, p5 key capacity, p6 q, p7 k,
     * p8 v, p9 out; f0 scale; key lengths per sequence in the list.
     */
    public static void attention(KernelContext ctx, FloatArray acts, IntArray p, FloatArray f) {
        float[] query = ctx.allocateFloatLocalArray(MAX_HEAD_DIM);
        float[] weights = ctx.allocateFloatLocalArray(KEY_BLOCK);
        float[] partial = ctx.allocateFloatLocalArray(KEY_BLOCK);
        int lid = ctx.localIdx;
        int heads = p.get(0);
        int kvHeads = p.get(1);
        int headDim = p.get(2);
        int queryLength = p.get(4);
        int capacity = p.get(5);
        int head = ctx.groupIdx % heads;
        int row = ctx.groupIdx / heads;
        int seq = row / queryLength;
        int kvHead = head / (heads / kvHeads);
        int keys = p.get(Params.LIST + seq);
        int visible = keys;
        if (p.get(3) == 1) {
            visible = keys - queryLength + row % queryLength + 1;
        }
        float scale = f.get(0);
        int q = p.get(6) + (row * heads + head) * headDim;
        for (int d = lid; d < headDim; d += KEY_BLOCK) {
            query[d] = acts.get(q + d);
        }
        int kvStride = kvHeads * headDim;
        int kBase = p.get(7) + seq * capacity * kvStride + kvHead * headDim;
        int vBase = p.get(8) + seq * capacity * kvStride + kvHead * headDim;
        float runningMax = MASKED;
        float runningSum = 0f;
        float acc0 = 0f;
        float acc1 = 0f;
        float acc2 = 0f;
        float acc3 = 0f;
        ctx.localBarrier();
        for (int k0 = 0; k0 < visible; k0 += KEY_BLOCK) {
            int key = k0 + lid;
            float score = MASKED;
            if (key < visible) {
                int kRow = kBase + key * kvStride;
                float dot = 0f;
                for (int d = 0; d < headDim; d++) {
                    dot += query[d] * acts.get(kRow + d);
                }
                score = dot * scale;
            }
            partial[lid] = score;
            for (int stride = KEY_BLOCK / 2; stride > 0; stride /= 2) {
                ctx.localBarrier();
                if (lid < stride) {
                    partial[lid] = TornadoMath.max(partial[lid], partial[lid + stride]);
                }
            }
            ctx.localBarrier();
            float newMax = TornadoMath.max(runningMax, partial[0]);
            float correction = TornadoMath.exp(runningMax - newMax);
            float weight = 0f;
            if (key < visible) {
                weight = TornadoMath.exp(score - newMax);
            }
            ctx.localBarrier();
            weights[lid] = weight;
            partial[lid] = weight;
            for (int stride = KEY_BLOCK / 2; stride > 0; stride /= 2) {
                ctx.localBarrier();
                if (lid < stride) {
                    partial[lid] += partial[lid + stride];
                }
            }
            ctx.localBarrier();
            runningSum = runningSum * correction + partial[0];
            runningMax = newMax;
            int inBlock = TornadoMath.min(KEY_BLOCK, visible - k0);
            acc0 = acc0 * correction;
            acc1 = acc1 * correction;
            acc2 = acc2 * correction;
            acc3 = acc3 * correction;
            for (int j = 0; j < inBlock; j++) {
                int vRow = vBase + (k0 + j) * kvStride;
                float w = weights[j];
                if (lid < headDim) {
                    acc0 += w * acts.get(vRow + lid);
                }
                if (lid + KEY_BLOCK < headDim) {
                    acc1 += w * acts.get(vRow + lid + KEY_BLOCK);
                }
                if (lid + 2 * KEY_BLOCK < headDim) {
                    acc2 += w * acts.get(vRow + lid + 2 * KEY_BLOCK);
                }
                if (lid + 3 * KEY_BLOCK < headDim) {
                    acc3 += w * acts.get(vRow + lid + 3 * KEY_BLOCK);
                }
            }
            ctx.localBarrier();
        }
        float inv = runningSum > 0f ? 1f / runningSum : 0f;
        int out = p.get(9) + (row * heads + head) * headDim;
        if (lid < headDim) {
            acts.set(out + lid, acc0 * inv);
        }
        if (lid + KEY_BLOCK < headDim) {
            acts.set(out + lid + KEY_BLOCK, acc1 * inv);
        }
        if (lid + 2 * KEY_BLOCK < headDim) {
            acts.set(out + lid + 2 * KEY_BLOCK, acc2 * inv);
        }
        if (lid + 3 * KEY_BLOCK < headDim) {
            acts.set(out + lid + 3 * KEY_BLOCK, acc3 * inv);
        }
    }
}
