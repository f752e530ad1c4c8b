package dev.infer4j.models.llama;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;

/**
 * Activation buffers of one forward pass, allocated once for the largest batch, with views of the first
 * {@code rows} rows rebuilt only when the batch size changes (so a decode loop allocates nothing).
 */
final class LlamaScratch {
    private final Tensor x;
    private final Tensor h;
    private final Tensor q;
    private final Tensor k;
    private final Tensor v;
    private final Tensor attn;
    private final Tensor gate;
    private final Tensor up;
    private final Tensor selected;
    private final Tensor logits;

    private int rows = -1;
    Tensor xs;
    Tensor hs;
    Tensor qs;
    Tensor ks;
    Tensor vs;
    Tensor attns;
    Tensor gates;
    Tensor ups;

    private int logitRows = -1;
    Tensor selecteds;
    Tensor logitss;

    LlamaScratch(Backend backend, LlamaConfig c, int maxRows, int maxLogitRows) {
        x = backend.allocate(DType.F32, maxRows, c.embeddingDim());
        h = backend.allocate(DType.F32, maxRows, c.embeddingDim());
        q = backend.allocate(DType.F32, maxRows, c.qDim());
        k = backend.allocate(DType.F32, maxRows, c.kvDim());
        v = backend.allocate(DType.F32, maxRows, c.kvDim());
        attn = backend.allocate(DType.F32, maxRows, c.qDim());
        gate = backend.allocate(DType.F32, maxRows, c.ffnDim());
        up = backend.allocate(DType.F32, maxRows, c.ffnDim());
        selected = backend.allocate(DType.F32, maxLogitRows, c.embeddingDim());
        logits = backend.allocate(DType.F32, maxLogitRows, c.vocabSize());
    }

    void useRows(int n) {
        if (n == rows) {
            return;
        }
        rows = n;
        xs = x.rowSlice(0, n);
        hs = h.rowSlice(0, n);
        qs = q.rowSlice(0, n);
        ks = k.rowSlice(0, n);
        vs = v.rowSlice(0, n);
        attns = attn.rowSlice(0, n);
        gates = gate.rowSlice(0, n);
        ups = up.rowSlice(0, n);
    }

    void useLogitRows(int n) {
        if (n == logitRows) {
            return;
        }
        logitRows = n;
        selecteds = selected.rowSlice(0, n);
        logitss = logits.rowSlice(0, n);
    }

    Tensor logits() {
        return logits;
    }
}
