package dev.infer4j.models.bert;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The BERT encoder forward pass, written only against {@link Backend}: embeddings (word + position +
 * token type, LayerNorm), then per layer multi-head self-attention and a GELU feed-forward block, each
 * with a residual connection and post-LayerNorm.
 *
 * <p>Input is a {@link PackedBatch}: sequences end to end with no padding, so every row-wise operation
 * costs only real tokens and one long text never inflates the others. Attention runs per run of
 * consecutive equal-length sequences (callers sort by length), which needs no mask beyond the lengths.
 *
 * <p>Activation buffers are allocated on the first pass, for that pass's tokens rounded up to a power of
 * two, and replaced by buffers of {@code capacityTokens} rows the first time a longer pass comes: memory
 * follows the batches actually run (a service embedding single sentences never holds activations for
 * a thousand tokens), and at most one smaller set is ever left behind in the backend. Not thread-safe.
 */
public final class BertEncoder {
    private final Backend backend;
    private final BertWeights weights;
    private final BertConfig config;
    private final int capacityTokens;
    private final float attentionScale;
    /** The smallest first allocation, in rows: tiny passes share one buffer set. */
    private static final int MIN_ROWS = 64;
    private Activations activations;
    /** Bumped whenever the buffers are replaced, so replay keys never match a pass recorded on old buffers. */
    private int activationsVersion;
    private static final AtomicLong PASS_KEY_IDS = new AtomicLong();
    /** Tells this encoder's passes from another's in a backend's replay keys (an id, so keys do not keep it alive). */
    private final long passKeyId = PASS_KEY_IDS.incrementAndGet();

    public BertEncoder(Backend backend, BertWeights weights, int capacityTokens) {
        this.config = weights.config();
        if (capacityTokens < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacityTokens);
        }
        this.backend = backend;
        this.weights = weights;
        this.capacityTokens = capacityTokens;
        this.attentionScale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    /** The activations of one pass, {@code rows} tokens each. */
    private record Activations(int rows, Tensor hidden, Tensor query, Tensor key, Tensor value, Tensor context,
                               Tensor intermediate) {
        static Activations allocate(Backend backend, BertConfig config, int rows) {
            int h = config.hiddenSize();
            return new Activations(rows, backend.allocate(DType.F32, rows, h), backend.allocate(DType.F32, rows, h),
                    backend.allocate(DType.F32, rows, h), backend.allocate(DType.F32, rows, h),
                    backend.allocate(DType.F32, rows, h), backend.allocate(DType.F32, rows, config.intermediateSize()));
        }
    }

    /** Buffers for at least {@code tokens} rows (see the class comment for the growth rule). */
    private Activations activationsFor(int tokens) {
        if (activations == null || activations.rows() < tokens) {
            int rows = activations == null
                    ? (int) Math.min(capacityTokens, Math.max(MIN_ROWS, Long.highestOneBit(Math.max(1, tokens - 1)) << 1))
                    : capacityTokens;
            activations = Activations.allocate(backend, config, rows);
            activationsVersion++;
        }
        return activations;
    }

    public BertConfig config() {
        return config;
    }

    /** The most tokens one {@link #forward} call takes. */
    public int capacityTokens() {
        return capacityTokens;
    }

    /**
     * Runs the encoder; returns the last hidden states, {@code [batch.tokens(), hiddenSize]} in packed
     * order. The tensor is a view of an internal buffer, valid until the next call.
     */
    public Tensor forward(PackedBatch batch) {
        int n = batch.tokens();
        if (n > capacityTokens) {
            throw new IllegalArgumentException("batch of " + n + " tokens exceeds the encoder capacity of " + capacityTokens);
        }
        checkInputs(batch);
        Activations buffers = activationsFor(n);
        Tensor[] result = new Tensor[1];
        backend.replay(new PassShape(passKeyId, activationsVersion, n, lengthRuns(batch)),
                () -> result[0] = encode(batch, buffers));
        return result[0];
    }

    /**
     * What decides the sequence of backend calls of a pass, as its {@link Backend#replay} key: the same token
     * count and runs of equal-length sequences make the same calls on the same buffers.
     */
    private record PassShape(long encoder, int buffers, int tokens, int lengthRuns) {
    }

    private static int lengthRuns(PackedBatch batch) {
        int runs = 0;
        for (int s = 0; s < batch.sequences(); s++) {
            if (s == 0 || batch.length(s) != batch.length(s - 1)) {
                runs++;
            }
        }
        return runs;
    }

    private Tensor encode(PackedBatch batch, Activations a) {
        int n = batch.tokens();
        Tensor x = a.hidden().rowSlice(0, n);
        Tensor q = a.query().rowSlice(0, n);
        Tensor k = a.key().rowSlice(0, n);
        Tensor v = a.value().rowSlice(0, n);
        Tensor ctx = a.context().rowSlice(0, n);
        Tensor ffn = a.intermediate().rowSlice(0, n);

        // embeddings: q serves as scratch for the position and type rows
        backend.embedding(weights.wordEmbeddings(), batch.ids(), n, x);
        backend.embedding(weights.positionEmbeddings(), batch.positions(), n, q);
        backend.add(x, q, x);
        backend.embedding(weights.tokenTypeEmbeddings(), batch.typeIds(), n, q);
        backend.add(x, q, x);
        backend.layerNorm(x, weights.embeddingNormWeight(), weights.embeddingNormBias(), config.layerNormEps(), x);

        for (BertWeights.Layer layer : weights.layers()) {
            backend.matmul(x, layer.query(), layer.queryBias(), q);
            backend.matmul(x, layer.key(), layer.keyBias(), k);
            backend.matmul(x, layer.value(), layer.valueBias(), v);
            attend(batch, q, k, v, ctx);
            // attention output + residual, post-norm back into x; q is free again and holds the projection
            backend.matmul(ctx, layer.attentionOut(), layer.attentionOutBias(), q);
            backend.add(q, x, q);
            backend.layerNorm(q, layer.attentionNormWeight(), layer.attentionNormBias(), config.layerNormEps(), x);
            if (config.activation() == BertConfig.Activation.GELU) {
                // the GELU applied by each thread to the part of ffn it has just computed
                backend.matmulGelu(x, layer.intermediate(), layer.intermediateBias(), ffn);
            } else {
                backend.matmul(x, layer.intermediate(), layer.intermediateBias(), ffn);
                backend.geluTanh(ffn, ffn);
            }
            backend.matmul(ffn, layer.output(), layer.outputBias(), q);
            backend.add(q, x, q);
            backend.layerNorm(q, layer.outputNormWeight(), layer.outputNormBias(), config.layerNormEps(), x);
        }
        return x;
    }

    /** Self-attention of each sequence over itself, one backend call per run of equal-length sequences. */
    private void attend(PackedBatch batch, Tensor q, Tensor k, Tensor v, Tensor out) {
        int h = config.hiddenSize();
        int s = 0;
        while (s < batch.sequences()) {
            int length = batch.length(s);
            int run = 1;
            while (s + run < batch.sequences() && batch.length(s + run) == length) {
                run++;
            }
            int[] keyLengths = new int[run];
            Arrays.fill(keyLengths, length);
            AttentionSpec spec = new AttentionSpec(config.heads(), config.heads(), config.headDim(), attentionScale,
                    false, run, length, length, keyLengths);
            long from = batch.offset(s);
            long rows = (long) run * length;
            backend.attention(q.rowSlice(from, rows), k.rowSlice(from, rows).reshape(run, length, h),
                    v.rowSlice(from, rows).reshape(run, length, h), out.rowSlice(from, rows), spec);
            s += run;
        }
    }

    private void checkInputs(PackedBatch batch) {
        if (batch.maxLength() > config.maxPositions()) {
            throw new IllegalArgumentException("a sequence of " + batch.maxLength() + " tokens exceeds the model's "
                    + config.maxPositions() + " positions");
        }
        int[] ids = batch.ids();
        int[] types = batch.typeIds();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary [0, "
                        + config.vocabSize() + ")");
            }
            if (types[i] < 0 || types[i] >= config.typeVocabSize()) {
                throw new IllegalArgumentException("token type id " + types[i] + " is outside [0, "
                        + config.typeVocabSize() + ")");
            }
        }
    }
}
