package dev.infer4j.models.llama;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.RopeSpec;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.weights.ModelFormatException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Llama-family forward pass on a {@link Backend}: token embedding, then per block RMSNorm → Q/K/V
 * projections (+ bias) → RoPE → KV-cache append → causal grouped-query attention → output projection →
 * residual, RMSNorm → SwiGLU FFN → residual; then the final RMSNorm and the output projection for the rows
 * that want logits. Every matmul runs over all rows of the batch at once: a prompt is one GEMM per weight
 * (prefill), a decode step of {@code n} sequences one {@code n}-row GEMV-like product.
 *
 * <p>Batches are built for continuous batching: a {@link ForwardBatch} holds segments of any number of
 * sequences, each with its own KV-cache slot and positions, so one pass can decode a token for every running
 * sequence (rows = sequences) while another sequence's prompt chunk is prefilled.
 *
 * <p>Not thread-safe: one forward pass at a time (its activation buffers are reused).
 */
public final class LlamaModel {
    private final Backend backend;
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final RopeSpec rope;
    private final float attentionScale;
    private final LlamaScratch scratch;
    private final AttentionGroups groups;
    private final int maxRows;
    private final int maxLogitRows;
    /** The pass {@link #forward} hands to {@link Backend#replay}, with its batch and cache (fields, so a step allocates nothing). */
    private final Runnable pass = this::runPass;
    /** Per row of the pass, its row in the KV cache (the same for every layer). */
    private final int[] cacheRows;
    private ForwardBatch passBatch;
    private KvCache passCache;
    private PassShape lastShape;
    private static final AtomicLong PASS_KEY_IDS = new AtomicLong();
    /** Tells this model's passes from another's in a backend's replay keys (an id, so keys do not keep the model alive). */
    private final long passKeyId = PASS_KEY_IDS.incrementAndGet();

    /**
     * What decides the sequence of backend calls of a pass, as its {@link Backend#replay} key: equal shapes make
     * the same calls on the same buffers, only ids, positions and cache rows differ.
     */
    private record PassShape(long model, int rows, int segments, int attentionGroups, int logitRows, int logitRuns) {
    }

    private LlamaModel(Backend backend, LlamaConfig config, LlamaWeights weights, int maxRows, int maxLogitRows) {
        this.backend = backend;
        this.config = config;
        this.weights = weights;
        this.maxRows = maxRows;
        this.maxLogitRows = maxLogitRows;
        this.rope = new RopeSpec(config.headDim(), config.ropeDim(), config.ropeTheta(),
                config.architecture().neoxRope(), weights.ropeFreqs(), config.ropePositionScale());
        this.attentionScale = (float) (1.0 / Math.sqrt(config.headDim()));
        this.scratch = new LlamaScratch(backend, config, maxRows, maxLogitRows);
        this.groups = new AttentionGroups(maxRows);
        this.cacheRows = new int[maxRows];
    }

    /**
     * Reads the config and weights of {@code file} and prepares them for {@code backend}. {@code maxBatchRows}
     * bounds the tokens of one forward pass (longer prompts go in chunks), {@code maxLogitRows} the rows of
     * logits one pass can return. The file and backend must outlive the model.
     */
    public static LlamaModel load(GgufFile file, Backend backend, int maxBatchRows, int maxLogitRows) {
        if (maxBatchRows <= 0 || maxLogitRows <= 0 || maxLogitRows > maxBatchRows) {
            throw new IllegalArgumentException("need 0 < maxLogitRows <= maxBatchRows, got " + maxLogitRows + " and "
                    + maxBatchRows);
        }
        Tensor embd = file.require("token_embd.weight").tensor();
        if (embd.rank() != 2 || embd.dim(0) > Integer.MAX_VALUE) {
            throw new ModelFormatException(file.file(), "token_embd.weight", "must be a [vocab, dim] matrix");
        }
        LlamaConfig config = LlamaConfig.fromGguf(file.file(), file.meta(), (int) embd.dim(0));
        LlamaWeights weights = LlamaWeights.load(file, config, backend);
        return new LlamaModel(backend, config, weights, maxBatchRows, maxLogitRows);
    }

    public LlamaConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    /** A cache for {@code slots} sequences of up to {@code capacity} positions each, in backend memory. */
    public KvCache newKvCache(int slots, int capacity) {
        return new KvCache(backend, config.layers(), slots, capacity, config.kvDim());
    }

    /** An empty batch sized for this model's limits. */
    public ForwardBatch newBatch() {
        return new ForwardBatch(maxRows, maxLogitRows);
    }

    /**
     * Runs the batch: appends its keys and values to {@code cache} and computes the logits it asked for, to be
     * read with {@link #readLogits}. Fails before computing anything when a segment's slot or positions do not
     * fit the cache.
     */
    public void forward(ForwardBatch batch, KvCache cache) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        for (int s = 0; s < batch.segments; s++) {
            int slot = batch.segmentSlot[s];
            long end = (long) batch.segmentPosition[s] + batch.segmentLength[s];
            if (slot >= cache.slots()) {
                throw new IllegalArgumentException("slot " + slot + " does not exist; the cache has " + cache.slots());
            }
            if (end > cache.capacity()) {
                throw new ContextFullException(slot, end, cache.capacity());
            }
        }
        for (int i = 0; i < batch.rows; i++) {
            if (batch.tokens[i] < 0 || batch.tokens[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + batch.tokens[i] + " is outside the vocabulary of "
                        + config.vocabSize());
            }
        }
        groups.plan(batch, cache, config, attentionScale);
        for (int s = 0; s < batch.segments; s++) {
            for (int i = 0; i < batch.segmentLength[s]; i++) {
                long row = cache.row(batch.segmentSlot[s], batch.segmentPosition[s] + i);
                cacheRows[batch.segmentRow[s] + i] = Math.toIntExact(row);
            }
        }
        passBatch = batch;
        passCache = cache;
        try {
            backend.replay(shapeOf(batch), pass);
        } finally {
            passBatch = null;
            passCache = null;
        }
    }

    private PassShape shapeOf(ForwardBatch batch) {
        int runs = 0;
        for (int i = 0; i < batch.logitRows; i++) {
            if (i == 0 || batch.logitSourceRow[i] != batch.logitSourceRow[i - 1] + 1) {
                runs++;
            }
        }
        PassShape s = lastShape;
        if (s == null || s.rows() != batch.rows || s.segments() != batch.segments || s.attentionGroups() != groups.count()
                || s.logitRows() != batch.logitRows || s.logitRuns() != runs) {
            s = new PassShape(passKeyId, batch.rows, batch.segments, groups.count(), batch.logitRows, runs);
            lastShape = s;
        }
        return s;
    }

    private void runPass() {
        ForwardBatch batch = passBatch;
        KvCache cache = passCache;
        LlamaScratch a = scratch;
        a.useRows(batch.rows);
        backend.embedding(weights.tokenEmbedding(), batch.tokens, batch.rows, a.xs);
        float eps = config.rmsEps();
        for (int l = 0; l < config.layers(); l++) {
            LlamaLayer w = weights.layers().get(l);
            backend.rmsNorm(a.xs, w.attnNorm(), eps, a.hs);
            backend.matmul(a.hs, w.q(), w.qBias(), a.qs);
            backend.matmul(a.hs, w.k(), w.kBias(), a.ks);
            backend.matmul(a.hs, w.v(), w.vBias(), a.vs);
            backend.rope(a.qs, batch.positions, rope);
            backend.rope(a.ks, batch.positions, rope);
            backend.scatterRows(a.ks, cache.keys(l), cacheRows, batch.rows);
            backend.scatterRows(a.vs, cache.values(l), cacheRows, batch.rows);
            groups.attend(backend, a, cache, l);
            backend.matmul(a.attns, w.output(), null, a.hs);
            backend.add(a.xs, a.hs, a.xs);

            backend.rmsNorm(a.xs, w.ffnNorm(), eps, a.hs);
            backend.matmul(a.hs, w.gate(), null, a.gates);
            backend.matmul(a.hs, w.up(), null, a.ups);
            backend.swiglu(a.gates, a.ups, a.gates);
            backend.matmul(a.gates, w.down(), null, a.hs);
            backend.add(a.xs, a.hs, a.xs);
        }
        if (batch.logitRows > 0) {
            a.useLogitRows(batch.logitRows);
            int i = 0;
            while (i < batch.logitRows) {
                int run = 1;
                while (i + run < batch.logitRows && batch.logitSourceRow[i + run] == batch.logitSourceRow[i] + run) {
                    run++;
                }
                backend.copyRows(a.xs, batch.logitSourceRow[i], a.selecteds, i, run);
                i += run;
            }
            backend.rmsNorm(a.selecteds, weights.outputNorm(), eps, a.selecteds);
            backend.matmul(a.selecteds, weights.output(), null, a.logitss);
        }
    }

    /** Copies logit row {@code row} of the last forward pass ({@code vocabSize} values) into {@code dst}. */
    public void readLogits(int row, float[] dst) {
        if (dst.length < config.vocabSize()) {
            throw new IllegalArgumentException("logits need " + config.vocabSize() + " floats, got " + dst.length);
        }
        backend.read(scratch.logits(), (long) row * config.vocabSize(), dst, 0, config.vocabSize());
    }
}
