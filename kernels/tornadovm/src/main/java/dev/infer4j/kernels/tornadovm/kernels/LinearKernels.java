package dev.infer4j.kernels.tornadovm.kernels;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * {@code out[n, M] = x[n, K] · Wᵀ + bias} for the resident weight formats:
 * <ul>
 *   <li>F32: row-major {@code [M, K]} floats in the constant arena;</li>
 *   <li>F16: row-major halves in the half arena (devices with {@code cl_khr_fp16} only);</li>
 *   <li>Q8_0: the int8 quants, row-major {@code [M, K]}, in the byte arena and one float scale per block of
 *       32 in the constant arena;</li>
 *   <li>Q4_0: the nibbles in ggml's block order (16 bytes per block of 32: element {@code j < 16} in the low
 *       nibble of byte {@code j}, element {@code j + 16} in its high nibble, both offset by 8) in the byte
 *       arena, and one float scale per block in the constant arena.</li>
 * </ul>
 * Quantized weights are dequantized in the kernel as they are read. Nibbles are widened to float before
 * the offset of 8 is subtracted: TornadoVM's OpenCL code generator types {@code (b & 0xFF) >> 4} as unsigned,
 * and an int subtraction after it wraps around.
 *
 * <p>GEMV ({@code n == 1}): one work-group of {@link #GEMV_GROUP} per output row, strided dot product and a
 * tree reduction in local memory. Parameters: p0 M, p1 K, p2 x, p3 weight, p4 scales (quantized), p5 bias
 * (constants, -1 for none), p6 out.
 *
 * <p>GEMM ({@code n > 1}): output tiles of {@link #TILE}×{@link #TILE} (tokens × rows), one work-group of
 * TILE² work-items each; weight and input tiles of depth TILE staged in local memory. The 2-D tile is
 * indexed by hand inside a 1-D work-group. Parameters: as GEMV plus p7 n.
 */
public final class LinearKernels {
    public static final int GEMV_GROUP = 128;
    public static final int TILE = 16;
    public static final int GEMM_GROUP = TILE * TILE;
    private static final int QK = 32;

    private LinearKernels() {
    }

    // ---- GEMV ---------------------------------------------------------------------------------

    public static void gemvF32(KernelContext ctx, FloatArray acts, FloatArray consts, IntArray p) {
        float[] partial = ctx.allocateFloatLocalArray(GEMV_GROUP);
        int lid = ctx.localIdx;
        int m = ctx.groupIdx;
        int k = p.get(1);
        int x = p.get(2);
        int w = p.get(3) + m * k;
        float sum = 0f;
        for (int c = lid; c < k; c += GEMV_GROUP) {
            sum += consts.get(w + c) * acts.get(x + c);
        }
        partial[lid] = sum;
        for (int stride = GEMV_GROUP / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
        }
        if (lid == 0) {
            storeRow(acts, consts, p, m, partial[0]);
        }
    }

    public static void gemvF16(KernelContext ctx, FloatArray acts, FloatArray consts, HalfFloatArray halfs, IntArray p) {
        float[] partial = ctx.allocateFloatLocalArray(GEMV_GROUP);
        int lid = ctx.localIdx;
        int m = ctx.groupIdx;
        int k = p.get(1);
        int x = p.get(2);
        int w = p.get(3) + m * k;
        float sum = 0f;
        for (int c = lid; c < k; c += GEMV_GROUP) {
            sum += halfs.get(w + c).getFloat32() * acts.get(x + c);
        }
        partial[lid] = sum;
        for (int stride = GEMV_GROUP / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
        }
        if (lid == 0) {
            storeRow(acts, consts, p, m, partial[0]);
        }
    }

    public static void gemvQ8(KernelContext ctx, FloatArray acts, FloatArray consts, ByteArray quants, IntArray p) {
        float[] partial = ctx.allocateFloatLocalArray(GEMV_GROUP);
        int lid = ctx.localIdx;
        int m = ctx.groupIdx;
        int k = p.get(1);
        int x = p.get(2);
        int blocks = k / QK;
        int q = p.get(3) + m * k;
        int s = p.get(4) + m * blocks;
        float sum = 0f;
        for (int b = lid; b < blocks; b += GEMV_GROUP) {
            int qb = q + b * QK;
            int xb = x + b * QK;
            float dot = 0f;
            for (int j = 0; j < QK; j++) {
                dot += quants.get(qb + j) * acts.get(xb + j);
            }
            sum += dot * consts.get(s + b);
        }
        partial[lid] = sum;
        for (int stride = GEMV_GROUP / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
        }
        if (lid == 0) {
            storeRow(acts, consts, p, m, partial[0]);
        }
    }

    public static void gemvQ4(KernelContext ctx, FloatArray acts, FloatArray consts, ByteArray quants, IntArray p) {
        float[] partial = ctx.allocateFloatLocalArray(GEMV_GROUP);
        int lid = ctx.localIdx;
        int m = ctx.groupIdx;
        int k = p.get(1);
        int x = p.get(2);
        int blocks = k / QK;
        int q = p.get(3) + m * blocks * (QK / 2);
        int s = p.get(4) + m * blocks;
        float sum = 0f;
        for (int b = lid; b < blocks; b += GEMV_GROUP) {
            int qb = q + b * (QK / 2);
            int xb = x + b * QK;
            float dot = 0f;
            for (int j = 0; j < QK / 2; j++) {
                int packed = quants.get(qb + j) & 0xFF;
                dot += ((float) (packed & 0xF) - 8f) * acts.get(xb + j) + ((float) (packed >> 4) - 8f) * acts.get(xb + j + QK / 2);
            }
            sum += dot * consts.get(s + b);
        }
        partial[lid] = sum;
        for (int stride = GEMV_GROUP / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
        }
        if (lid == 0) {
            storeRow(acts, consts, p, m, partial[0]);
        }
    }

    /** Stores row {@code m} of a GEMV output, plus its bias. (Local arrays cannot be passed to helpers, hence the tree inline.) */
    private static void storeRow(FloatArray acts, FloatArray consts, IntArray p, int m, float sum) {
        float v = sum;
        int bias = p.get(5);
        if (bias >= 0) {
            v += consts.get(bias + m);
        }
        acts.set(p.get(6) + m, v);
    }

    // ---- GEMM ---------------------------------------------------------------------------------

    public static void gemmF32(KernelContext ctx, FloatArray acts, FloatArray consts, IntArray p) {
        float[] wTile = ctx.allocateFloatLocalArray(GEMM_GROUP);
        float[] xTile = ctx.allocateFloatLocalArray(GEMM_GROUP);
        int lid = ctx.localIdx;
        int rows = p.get(0);
        int k = p.get(1);
        int n = p.get(7);
        int tilesM = (rows + TILE - 1) / TILE;
        int m0 = (ctx.groupIdx % tilesM) * TILE;
        int t0 = (ctx.groupIdx / tilesM) * TILE;
        int a = lid / TILE;
        int b = lid % TILE;
        int w = p.get(3);
        float acc = 0f;
        for (int k0 = 0; k0 < k; k0 += TILE) {
            float wv = 0f;
            if (m0 + a < rows && k0 + b < k) {
                wv = consts.get(w + (m0 + a) * k + k0 + b);
            }
            wTile[lid] = wv;
            xTile[lid] = loadX(acts, p, n, k, t0 + a, k0 + b);
            ctx.localBarrier();
            for (int kk = 0; kk < TILE; kk++) {
                acc += xTile[a * TILE + kk] * wTile[b * TILE + kk];
            }
            ctx.localBarrier();
        }
        storeTile(acts, consts, p, rows, n, t0 + a, m0 + b, acc);
    }

    public static void gemmF16(KernelContext ctx, FloatArray acts, FloatArray consts, HalfFloatArray halfs, IntArray p) {
        float[] wTile = ctx.allocateFloatLocalArray(GEMM_GROUP);
        float[] xTile = ctx.allocateFloatLocalArray(GEMM_GROUP);
        int lid = ctx.localIdx;
        int rows = p.get(0);
        int k = p.get(1);
        int n = p.get(7);
        int tilesM = (rows + TILE - 1) / TILE;
        int m0 = (ctx.groupIdx % tilesM) * TILE;
        int t0 = (ctx.groupIdx / tilesM) * TILE;
        int a = lid / TILE;
        int b = lid % TILE;
        int w = p.get(3);
        float acc = 0f;
        for (int k0 = 0; k0 < k; k0 += TILE) {
            float wv = 0f;
            if (m0 + a < rows && k0 + b < k) {
                wv = halfs.get(w + (m0 + a) * k + k0 + b).getFloat32();
            }
            wTile[lid] = wv;
            xTile[lid] = loadX(acts, p, n, k, t0 + a, k0 + b);
            ctx.localBarrier();
            for (int kk = 0; kk < TILE; kk++) {
                acc += xTile[a * TILE + kk] * wTile[b * TILE + kk];
            }
            ctx.localBarrier();
        }
        storeTile(acts, consts, p, rows, n, t0 + a, m0 + b, acc);
    }

    public static void gemmQ8(KernelContext ctx, FloatArray acts, FloatArray consts, ByteArray quants, IntArray p) {
        float[] wTile = ctx.allocateFloatLocalArray(GEMM_GROUP);
        float[] xTile = ctx.allocateFloatLocalArray(GEMM_GROUP);
        int lid = ctx.localIdx;
        int rows = p.get(0);
        int k = p.get(1);
        int n = p.get(7);
        int tilesM = (rows + TILE - 1) / TILE;
        int m0 = (ctx.groupIdx % tilesM) * TILE;
        int t0 = (ctx.groupIdx / tilesM) * TILE;
        int a = lid / TILE;
        int b = lid % TILE;
        int q = p.get(3);
        int s = p.get(4);
        float acc = 0f;
        for (int k0 = 0; k0 < k; k0 += TILE) {
            float wv = 0f;
            if (m0 + a < rows && k0 + b < k) {
                int e = (m0 + a) * k + k0 + b;
                wv = quants.get(q + e) * consts.get(s + e / QK);
            }
            wTile[lid] = wv;
            xTile[lid] = loadX(acts, p, n, k, t0 + a, k0 + b);
            ctx.localBarrier();
            for (int kk = 0; kk < TILE; kk++) {
                acc += xTile[a * TILE + kk] * wTile[b * TILE + kk];
            }
            ctx.localBarrier();
        }
        storeTile(acts, consts, p, rows, n, t0 + a, m0 + b, acc);
    }

    public static void gemmQ4(KernelContext ctx, FloatArray acts, FloatArray consts, ByteArray quants, IntArray p) {
        float[] wTile = ctx.allocateFloatLocalArray(GEMM_GROUP);
        float[] xTile = ctx.allocateFloatLocalArray(GEMM_GROUP);
        int lid = ctx.localIdx;
        int rows = p.get(0);
        int k = p.get(1);
        int n = p.get(7);
        int tilesM = (rows + TILE - 1) / TILE;
        int m0 = (ctx.groupIdx % tilesM) * TILE;
        int t0 = (ctx.groupIdx / tilesM) * TILE;
        int a = lid / TILE;
        int b = lid % TILE;
        int q = p.get(3);
        int s = p.get(4);
        float acc = 0f;
        for (int k0 = 0; k0 < k; k0 += TILE) {
            float wv = 0f;
            if (m0 + a < rows && k0 + b < k) {
                int e = (m0 + a) * k + k0 + b;
                int block = e / QK;
                int j = e % QK;
                int packed = quants.get(q + block * (QK / 2) + j % (QK / 2)) & 0xFF;
                int nibble = j < QK / 2 ? packed & 0xF : packed >> 4;
                wv = ((float) nibble - 8f) * consts.get(s + block);
            }
            wTile[lid] = wv;
            xTile[lid] = loadX(acts, p, n, k, t0 + a, k0 + b);
            ctx.localBarrier();
            for (int kk = 0; kk < TILE; kk++) {
                acc += xTile[a * TILE + kk] * wTile[b * TILE + kk];
            }
            ctx.localBarrier();
        }
        storeTile(acts, consts, p, rows, n, t0 + a, m0 + b, acc);
    }

    /** Element {@code [t, c]} of the input, or 0 outside it. */
    private static float loadX(FloatArray acts, IntArray p, int n, int k, int t, int c) {
        float v = 0f;
        if (t < n && c < k) {
            v = acts.get(p.get(2) + t * k + c);
        }
        return v;
    }

    /** Stores output element {@code [t, m]} plus its bias, if it is inside the output. */
    private static void storeTile(FloatArray acts, FloatArray consts, IntArray p, int rows, int n, int t, int m, float acc) {
        if (t < n && m < rows) {
            float v = acc;
            int bias = p.get(5);
            if (bias >= 0) {
                v += consts.get(bias + m);
            }
            acts.set(p.get(6) + t * rows + m, v);
        }
    }
}
