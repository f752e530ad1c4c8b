package dev.infer4j.kernels.cpu;

import static dev.infer4j.kernels.cpu.VectorMath.F;
import static dev.infer4j.kernels.cpu.VectorMath.ORDER;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Scaled dot-product attention with causal and padding masks and grouped-query heads.
 *
 * <p>One task is a block of queries of one sequence for all query heads that share a KV head, so each
 * key and value row is read once for the whole group (4× less memory traffic for Llama-3-style GQA
 * at decode). Keys are visited in blocks of {@value #KEY_BLOCK}: the block is transposed so that the
 * scores of 4 query rows × 1 vector of keys are plain FMAs (no horizontal sums), and the softmax is
 * the online kind (running maximum and sum, accumulator rescaled when the maximum grows), so the
 * scratch per worker is bounded whatever the context length. Keys a query may not see are never
 * read when they are padding, and get probability 0 when they are merely in its causal future.
 */
final class Attention implements WorkerPool.RangeTask {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Keys per block; a multiple of every vector length. */
    static final int KEY_BLOCK = 128;
    /** Query rows (heads of a group × queries) per task, enough to amortise the key transposition. */
    private static final int TARGET_ROWS = 64;
    private static final int ROW_GROUP = 4;

    /** Per-worker scratch, allocated on first use and grown when a bigger call arrives. */
    private static final class Workspace {
        float[] queries = new float[0]; // [rows][dim], pre-scaled
        float[] keysT = new float[0]; // [dim][KEY_BLOCK]
        float[] scores = new float[0]; // [rows][KEY_BLOCK], then probabilities
        float[] acc = new float[0]; // [rows][paddedDim]
        float[] max = new float[0];
        float[] sum = new float[0];
        int[] visible = new int[0];

        void ensure(int rows, int dim, int paddedDim) {
            if (visible.length < rows) {
                scores = new float[rows * KEY_BLOCK];
                max = new float[rows];
                sum = new float[rows];
                visible = new int[rows];
            }
            if (queries.length < rows * dim) {
                queries = new float[rows * dim];
            }
            if (acc.length < rows * paddedDim) {
                acc = new float[rows * paddedDim];
            }
            if (keysT.length < dim * KEY_BLOCK) {
                keysT = new float[dim * KEY_BLOCK];
            }
        }
    }

    private final WorkerPool pool;
    private final Workspace[] workspaces;
    private int[] keyLengths = new int[0];
    // the current call
    private MemorySegment q;
    private MemorySegment k;
    private MemorySegment v;
    private MemorySegment out;
    private int heads;
    private int kvHeads;
    private int group;
    /** Query heads per task: the whole group, unless splitting it is needed to give every thread work. */
    private int headsPerTask;
    private int dim;
    private int paddedDim;
    private int queryLength;
    private int keyCapacity;
    private int queryBlock;
    private int queryBlocks;
    private boolean causal;
    private float scale;

    Attention(WorkerPool pool) {
        this.pool = pool;
        workspaces = new Workspace[pool.threads()];
        for (int i = 0; i < workspaces.length; i++) {
            workspaces[i] = new Workspace();
        }
    }

    synchronized void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("attention: spec is null");
        }
        long queryRows = (long) spec.batch() * spec.queryLength();
        long keyRows = (long) spec.batch() * spec.keyCapacity();
        long qWidth = (long) spec.heads() * spec.headDim();
        long kvWidth = (long) spec.kvHeads() * spec.headDim();
        Checks.matrix("attention", "q", q, queryRows, qWidth);
        Checks.matrix("attention", "k", k, keyRows, kvWidth);
        Checks.matrix("attention", "v", v, keyRows, kvWidth);
        Checks.matrix("attention", "out", out, queryRows, qWidth);
        if (keyLengths.length < spec.batch()) {
            keyLengths = new int[spec.batch()];
        }
        System.arraycopy(spec.keyLengths(), 0, keyLengths, 0, spec.batch()); // the caller may reuse its array
        this.q = q.segment();
        this.k = k.segment();
        this.v = v.segment();
        this.out = out.segment();
        heads = spec.heads();
        kvHeads = spec.kvHeads();
        group = heads / kvHeads;
        dim = spec.headDim();
        paddedDim = (dim + F.length() - 1) / F.length() * F.length();
        queryLength = spec.queryLength();
        keyCapacity = spec.keyCapacity();
        causal = spec.causal();
        scale = spec.scale();
        queryBlock = Math.min(queryLength, Math.max(1, TARGET_ROWS / group));
        queryBlocks = (queryLength + queryBlock - 1) / queryBlock;
        long groupTasks = (long) spec.batch() * kvHeads * queryBlocks;
        headsPerTask = group;
        while (headsPerTask % 2 == 0 && groupTasks * (group / headsPerTask) < pool.threads()) {
            headsPerTask /= 2; // decode with few KV heads: trade repeated key reads for parallelism
        }
        int tasks = Checks.toInt("attention", "tasks", groupTasks * (group / headsPerTask));
        try {
            long work = 4L * headsPerTask * queryBlock * keyCapacity * dim;
            pool.parallelForWork(tasks, work, this);
        } finally {
            this.q = null;
            this.k = null;
            this.v = null;
            this.out = null;
        }
    }

    @Override
    public void run(int worker, int from, int to) {
        Workspace ws = workspaces[worker];
        int rows = roundUp(headsPerTask * queryBlock, ROW_GROUP);
        ws.ensure(rows, dim, paddedDim);
        int splits = group / headsPerTask;
        for (int task = from; task < to; task++) {
            int block = task % queryBlocks;
            int split = task / queryBlocks % splits;
            int kvHead = task / queryBlocks / splits % kvHeads;
            int b = task / queryBlocks / splits / kvHeads;
            int first = block * queryBlock;
            int firstHead = kvHead * group + split * headsPerTask;
            block(ws, b, kvHead, firstHead, first, Math.min(queryBlock, queryLength - first));
        }
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }

    /** Row {@code r = g * nq + i} is query {@code first + i} of head {@code firstHead + g}. */
    private void block(Workspace ws, int b, int kvHead, int firstHead, int first, int nq) {
        int rows = headsPerTask * nq;
        int paddedRows = roundUp(rows, ROW_GROUP);
        int length = keyLengths[b];
        int maxVisible = 0;
        for (int r = 0; r < paddedRows; r++) {
            int vis = 0;
            if (r < rows) {
                int j = first + r % nq;
                vis = Math.max(0, causal ? length - queryLength + j + 1 : length);
            }
            ws.visible[r] = vis;
            maxVisible = Math.max(maxVisible, vis);
            ws.max[r] = Float.NEGATIVE_INFINITY;
            ws.sum[r] = 0;
        }
        loadQueries(ws, b, firstHead, first, nq, rows, paddedRows);
        Arrays.fill(ws.acc, 0, paddedRows * paddedDim, 0f);
        long kvRowBytes = 4L * kvHeads * dim;
        long kvBase = (long) b * keyCapacity * kvRowBytes + 4L * kvHead * dim;
        for (int t0 = 0; t0 < maxVisible; t0 += KEY_BLOCK) {
            int nk = Math.min(KEY_BLOCK, maxVisible - t0);
            if (paddedRows == ROW_GROUP) {
                // a single row group (decode): transposing would cost more than the horizontal sums it saves
                directScores(ws, kvBase + t0 * kvRowBytes, kvRowBytes, nk);
            } else {
                transposeKeys(ws.keysT, kvBase + t0 * kvRowBytes, kvRowBytes, nk);
                int keyVectors = roundUp(nk, F.length());
                for (int r = 0; r < paddedRows; r += ROW_GROUP) {
                    scores(ws, r, keyVectors);
                }
            }
            for (int r = 0; r < paddedRows; r++) {
                softmaxStep(ws, r, t0, nk);
            }
            for (int r = 0; r < paddedRows; r += ROW_GROUP) {
                accumulate(ws, r, kvBase + t0 * kvRowBytes, kvRowBytes, nk);
            }
        }
        storeOutputs(ws, b, firstHead, first, nq, rows);
    }

    private void loadQueries(Workspace ws, int b, int firstHead, int first, int nq, int rows, int paddedRows) {
        long qRowBytes = 4L * heads * dim;
        float[] qs = ws.queries;
        for (int r = 0; r < rows; r++) {
            int h = firstHead + r / nq;
            long off = (long) (b * queryLength + first + r % nq) * qRowBytes + 4L * h * dim;
            MemorySegment.copy(q, FLOAT, off, qs, r * dim, dim);
            for (int d = r * dim; d < (r + 1) * dim; d++) {
                qs[d] *= scale;
            }
        }
        Arrays.fill(qs, rows * dim, paddedRows * dim, 0f);
    }

    /** keysT[d][t] = K[t][d] for t < nk; zero up to the next whole vector. */
    private void transposeKeys(float[] kt, long base, long rowBytes, int nk) {
        for (int t = 0; t < nk; t++) {
            long off = base + t * rowBytes;
            for (int d = 0; d < dim; d++) {
                kt[d * KEY_BLOCK + t] = k.get(FLOAT, off + 4L * d);
            }
        }
        int padded = roundUp(nk, F.length());
        if (padded > nk) {
            for (int d = 0; d < dim; d++) {
                Arrays.fill(kt, d * KEY_BLOCK + nk, d * KEY_BLOCK + padded, 0f);
            }
        }
    }

    /** scores[r + i][t] = q[r + i] · K[t] for 4 rows and all key vectors of the block. */
    private void scores(Workspace ws, int r, int keyVectors) {
        float[] qs = ws.queries;
        float[] kt = ws.keysT;
        int q0 = r * dim;
        int q1 = q0 + dim;
        int q2 = q1 + dim;
        int q3 = q2 + dim;
        for (int t = 0; t < keyVectors; t += F.length()) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int d = 0; d < dim; d++) {
                FloatVector kv = FloatVector.fromArray(F, kt, d * KEY_BLOCK + t);
                a0 = FloatVector.broadcast(F, qs[q0 + d]).fma(kv, a0);
                a1 = FloatVector.broadcast(F, qs[q1 + d]).fma(kv, a1);
                a2 = FloatVector.broadcast(F, qs[q2 + d]).fma(kv, a2);
                a3 = FloatVector.broadcast(F, qs[q3 + d]).fma(kv, a3);
            }
            int s = r * KEY_BLOCK + t;
            a0.intoArray(ws.scores, s);
            a1.intoArray(ws.scores, s + KEY_BLOCK);
            a2.intoArray(ws.scores, s + 2 * KEY_BLOCK);
            a3.intoArray(ws.scores, s + 3 * KEY_BLOCK);
        }
    }

    /** scores[i][t] = q[i] · K[t] for rows 0..3, one key row at a time with horizontal sums. */
    private void directScores(Workspace ws, long base, long rowBytes, int nk) {
        float[] qs = ws.queries;
        float[] s = ws.scores;
        int full = F.loopBound(dim);
        for (int t = 0; t < nk; t++) {
            long off = base + t * rowBytes;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int d = 0;
            for (; d < full; d += F.length()) {
                FloatVector kv = FloatVector.fromMemorySegment(F, k, off + 4L * d, ORDER);
                a0 = FloatVector.fromArray(F, qs, d).fma(kv, a0);
                a1 = FloatVector.fromArray(F, qs, dim + d).fma(kv, a1);
                a2 = FloatVector.fromArray(F, qs, 2 * dim + d).fma(kv, a2);
                a3 = FloatVector.fromArray(F, qs, 3 * dim + d).fma(kv, a3);
            }
            if (d < dim) {
                VectorMask<Float> m = F.indexInRange(d, dim);
                FloatVector kv = FloatVector.fromMemorySegment(F, k, off + 4L * d, ORDER, m);
                a0 = FloatVector.fromArray(F, qs, d, m).fma(kv, a0);
                a1 = FloatVector.fromArray(F, qs, dim + d, m).fma(kv, a1);
                a2 = FloatVector.fromArray(F, qs, 2 * dim + d, m).fma(kv, a2);
                a3 = FloatVector.fromArray(F, qs, 3 * dim + d, m).fma(kv, a3);
            }
            s[t] = VectorMath.sum(a0);
            s[KEY_BLOCK + t] = VectorMath.sum(a1);
            s[2 * KEY_BLOCK + t] = VectorMath.sum(a2);
            s[3 * KEY_BLOCK + t] = VectorMath.sum(a3);
        }
    }

    /**
     * Turns row r's scores of keys [t0, t0 + nk) into unnormalised probabilities against the running
     * maximum, rescaling the row's accumulator and sum when the maximum grows. Keys the row may not
     * see get probability 0.
     */
    private void softmaxStep(Workspace ws, int r, int t0, int nk) {
        float[] s = ws.scores;
        int base = r * KEY_BLOCK;
        int limit = Math.min(nk, ws.visible[r] - t0);
        if (limit <= 0) {
            Arrays.fill(s, base, base + nk, 0f);
            return;
        }
        float old = ws.max[r];
        float max = Math.max(old, VectorMath.max(s, base, limit));
        float blockSum = VectorMath.expInPlace(s, base, limit, max);
        Arrays.fill(s, base + limit, base + nk, 0f);
        if (max > old && old != Float.NEGATIVE_INFINITY) {
            float correction = (float) Math.exp(old - max);
            ws.sum[r] *= correction;
            int a = r * paddedDim;
            for (int d = 0; d < paddedDim; d += F.length()) {
                FloatVector.fromArray(F, ws.acc, a + d).mul(correction).intoArray(ws.acc, a + d);
            }
        }
        ws.max[r] = max;
        ws.sum[r] += blockSum;
    }

    /** acc[r + i] += Σ_t p[r + i][t] · V[t] for 4 rows. */
    private void accumulate(Workspace ws, int r, long base, long rowBytes, int nk) {
        float[] p = ws.scores;
        float[] acc = ws.acc;
        int p0 = r * KEY_BLOCK;
        int p1 = p0 + KEY_BLOCK;
        int p2 = p1 + KEY_BLOCK;
        int p3 = p2 + KEY_BLOCK;
        for (int d = 0; d < paddedDim; d += F.length()) {
            int a = r * paddedDim + d;
            FloatVector a0 = FloatVector.fromArray(F, acc, a);
            FloatVector a1 = FloatVector.fromArray(F, acc, a + paddedDim);
            FloatVector a2 = FloatVector.fromArray(F, acc, a + 2 * paddedDim);
            FloatVector a3 = FloatVector.fromArray(F, acc, a + 3 * paddedDim);
            long off = base + 4L * d;
            if (d + F.length() <= dim) {
                for (int t = 0; t < nk; t++) {
                    FloatVector vv = FloatVector.fromMemorySegment(F, v, off + t * rowBytes, ORDER);
                    a0 = FloatVector.broadcast(F, p[p0 + t]).fma(vv, a0);
                    a1 = FloatVector.broadcast(F, p[p1 + t]).fma(vv, a1);
                    a2 = FloatVector.broadcast(F, p[p2 + t]).fma(vv, a2);
                    a3 = FloatVector.broadcast(F, p[p3 + t]).fma(vv, a3);
                }
            } else {
                VectorMask<Float> m = F.indexInRange(d, dim);
                for (int t = 0; t < nk; t++) {
                    FloatVector vv = FloatVector.fromMemorySegment(F, v, off + t * rowBytes, ORDER, m);
                    a0 = FloatVector.broadcast(F, p[p0 + t]).fma(vv, a0);
                    a1 = FloatVector.broadcast(F, p[p1 + t]).fma(vv, a1);
                    a2 = FloatVector.broadcast(F, p[p2 + t]).fma(vv, a2);
                    a3 = FloatVector.broadcast(F, p[p3 + t]).fma(vv, a3);
                }
            }
            a0.intoArray(acc, a);
            a1.intoArray(acc, a + paddedDim);
            a2.intoArray(acc, a + 2 * paddedDim);
            a3.intoArray(acc, a + 3 * paddedDim);
        }
    }

    private void storeOutputs(Workspace ws, int b, int firstHead, int first, int nq, int rows) {
        long rowBytes = 4L * heads * dim;
        for (int r = 0; r < rows; r++) {
            int h = firstHead + r / nq;
            long off = (long) (b * queryLength + first + r % nq) * rowBytes + 4L * h * dim;
            float inv = ws.visible[r] > 0 ? 1f / ws.sum[r] : 0f; // no visible key: zeros
            for (int d = 0; d < paddedDim; d += F.length()) {
                FloatVector o = FloatVector.fromArray(F, ws.acc, r * paddedDim + d).mul(inv);
                if (d + F.length() <= dim) {
                    o.intoMemorySegment(out, off + 4L * d, ORDER);
                } else {
                    o.intoMemorySegment(out, off + 4L * d, ORDER, F.indexInRange(d, dim));
                }
            }
        }
    }
}
