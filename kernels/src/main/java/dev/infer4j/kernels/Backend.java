package dev.infer4j.kernels;

/**
 * Everything a BERT or Llama forward pass computes, behind one interface, so the same model code
 * runs on the CPU and on a device.
 *
 * <h2>Residency</h2>
 * Activations are tensors made by {@link #allocate}; they belong to the backend, and a device
 * backend keeps them on the device. Operations may run asynchronously or be recorded and replayed:
 * the host sees an activation's values only through {@link #read}, and changes them only through
 * {@link #write}. Weights pass through {@link #prepareWeight} once at load. Other parameters (norm
 * weights, biases, embedding tables, RoPE factors) are passed as the host tensors the model file
 * gave; a device backend uploads each on first use and keeps it.
 *
 * <h2>Conventions</h2>
 * Activations are F32, row-major; "rows" are tokens. An output may be the same tensor as an input
 * wherever the method says "in place allowed". Small per-call host arrays (ids, positions, lengths)
 * are read during the call only. Methods throw {@link IllegalArgumentException} naming the mismatch
 * when shapes or dtypes do not fit.
 */
public interface Backend extends AutoCloseable {

    /** Short name, e.g. {@code cpu}. */
    String name();

    // ---- memory -------------------------------------------------------------------------------

    /** A zeroed F32 or I32 activation tensor owned by this backend, released when the backend closes. */
    Tensor allocate(DType dtype, long... shape);

    /** Prepares a weight matrix of any supported dtype for {@link #matmul}; called once per weight at load. */
    Weight prepareWeight(Tensor weight, WeightLayout layout);

    /** Copies {@code src} into the F32 tensor {@code dst} starting at element {@code offset}. */
    void write(Tensor dst, long offset, float[] src, int from, int length);

    /** Copies elements of the F32 tensor {@code src} starting at {@code offset} into {@code dst}. */
    void read(Tensor src, long offset, float[] dst, int from, int length);

    /** Copies {@code rows} rows from {@code src} (starting at {@code srcRow}) to {@code dst} (starting at {@code dstRow}); both F32, same row width. */
    void copyRows(Tensor src, long srcRow, Tensor dst, long dstRow, long rows);

    /**
     * Copies row {@code i} of {@code src} to row {@code dstRows[i]} of {@code dst}, for {@code i < count}: appending a
     * batch's keys and values to a KV cache in one call, each token's row wherever its sequence keeps it. Both F32,
     * same row width; {@code src} and {@code dst} must not overlap; {@code dstRows} is read during the call only.
     * The default copies row by row.
     */
    default void scatterRows(Tensor src, Tensor dst, int[] dstRows, int count) {
        if (dstRows == null || count < 0 || count > dstRows.length) {
            throw new IllegalArgumentException("scatterRows: " + count + " rows need as many destination rows, got "
                    + (dstRows == null ? "null" : dstRows.length));
        }
        for (int i = 0; i < count; i++) {
            copyRows(src, i, dst, dstRows[i], 1);
        }
    }

    // ---- linear algebra -----------------------------------------------------------------------

    /**
     * {@code out[n, m] = x[n, k] · Wᵀ + bias}, for {@code W} of {@code m} outputs and {@code k} inputs in
     * any dtype; {@code bias} ({@code [m]}, F32) may be null. {@code n == 1} is a GEMV, larger {@code n} a GEMM.
     */
    void matmul(Tensor x, Weight w, Tensor bias, Tensor out);

    /**
     * {@link #matmul} followed by {@link #gelu} of {@code out} in place, with the same results; a backend may apply
     * the activation to each part of {@code out} as soon as it is computed (the BERT FFN's up projection).
     */
    default void matmulGelu(Tensor x, Weight w, Tensor bias, Tensor out) {
        matmul(x, w, bias, out);
        gelu(out, out);
    }

    /** {@code out[i] = table[ids[i]]} dequantized to F32, for {@code i < count}; {@code out} is {@code [count, dim]}. */
    void embedding(Tensor table, int[] ids, int count, Tensor out);

    /** {@code out = a + b} elementwise; {@code b} may also be a single row broadcast over {@code a}'s rows. In place allowed. */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code x *= factor} in place. */
    void scale(Tensor x, float factor);

    // ---- normalisation ------------------------------------------------------------------------

    /** Per row: {@code out = x / sqrt(mean(x²) + eps) * weight}. In place allowed. */
    void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out);

    /** Per row: {@code out = (x - mean) / sqrt(var + eps) * weight + bias} ({@code bias} may be null). In place allowed. */
    void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out);

    /** Per row softmax, in place. */
    void softmax(Tensor x);

    /** Per row: {@code x /= max(‖x‖₂, 1e-12)}, in place. */
    void l2Normalize(Tensor x);

    // ---- activations --------------------------------------------------------------------------

    /** Exact GELU, {@code x · Φ(x)} with the error function (BERT). In place allowed. */
    void gelu(Tensor x, Tensor out);

    /** GELU with the tanh approximation (GPT-2 style). In place allowed. */
    void geluTanh(Tensor x, Tensor out);

    /** {@code out = x · sigmoid(x)}. In place allowed. */
    void silu(Tensor x, Tensor out);

    /** {@code out = silu(gate) · up} (Llama FFN). In place (out == gate) allowed. */
    void swiglu(Tensor gate, Tensor up, Tensor out);

    // ---- attention ----------------------------------------------------------------------------

    /**
     * Rotates, in place, each head of {@code x} ({@code [tokens, heads * headDim]}) by the angle of its
     * token's position; {@code positions} has one entry per token.
     */
    void rope(Tensor x, int[] positions, RopeSpec spec);

    /** Scaled dot-product attention; see {@link AttentionSpec} for layouts and masking. */
    void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionSpec spec);

    /**
     * Mean of the first {@code lengths[b]} rows of each sequence in {@code x} ({@code [batch * seqLength, dim]})
     * into row {@code b} of {@code out} ({@code [batch, dim]}).
     */
    void meanPool(Tensor x, int batch, int seqLength, int[] lengths, Tensor out);

    // ---- capture ------------------------------------------------------------------------------

    /**
     * Runs {@code calls} (a sequence of this backend's operations, e.g. one forward pass) as a unit that a
     * device backend may record once and replay later as a single launch. The CPU backend just runs them.
     *
     * <p>Contract: every sequence run under equal keys must be structurally the same — the same operations,
     * in the same order, on the same tensors with the same shapes. Values that travel with each call may
     * change: token ids, positions, key lengths, cache rows. {@link #read} and {@link #write} belong outside
     * the scope (a device backend may run the recorded work only when the scope ends, so the host must not
     * exchange values with it in between). A backend that records also checks the structure when it
     * replays, and runs the calls one by one when they differ from the recording (correct, only slower).
     * Nested scopes run as part of the outer one.
     */
    default void replay(Object key, Runnable calls) {
        calls.run();
    }

    /** Waits for queued work; releases every tensor this backend allocated. */
    @Override
    void close();
}
