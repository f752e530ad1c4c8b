package dev.infer4j.models.bert;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;

/**
 * The head of {@code BertForSequenceClassification} (and of cross-encoder rerankers): the {@code [CLS]}
 * state through the pooler ({@code dense} + tanh), then the classifier layer, giving one logit per label.
 * Not thread-safe.
 */
public final class BertClassificationHead {
    private final Backend backend;
    private final BertWeights.ClassifierHead head;
    private final SentencePooler cls;
    private final Tensor pooled;
    private final Tensor logits;
    private final int labels;
    private final float[] row;

    public BertClassificationHead(Backend backend, BertWeights weights, int capacitySequences) {
        this.head = weights.classifierHead();
        if (head == null) {
            throw new IllegalArgumentException("the model has no classification head (no labels in its configuration)");
        }
        this.backend = backend;
        int hidden = weights.config().hiddenSize();
        this.labels = weights.config().labels().size();
        this.cls = new SentencePooler(backend, hidden, capacitySequences);
        this.pooled = backend.allocate(DType.F32, capacitySequences, hidden);
        this.logits = backend.allocate(DType.F32, capacitySequences, labels);
        this.row = new float[hidden];
    }

    /** Raw logits {@code [sequences][labels]} from the encoder's packed states. */
    public float[][] logits(Tensor states, PackedBatch batch) {
        int n = batch.sequences();
        Tensor first = cls.pool(states, batch, PoolingMode.CLS);
        Tensor p = pooled.rowSlice(0, n);
        backend.matmul(first, head.pooler(), head.poolerBias(), p);
        // the Backend has no tanh; the pooled rows are few, so it is applied on the host
        for (int s = 0; s < n; s++) {
            long at = (long) s * row.length;
            backend.read(p, at, row, 0, row.length);
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) Math.tanh(row[i]);
            }
            backend.write(p, at, row, 0, row.length);
        }
        Tensor out = logits.rowSlice(0, n);
        backend.matmul(p, head.classifier(), head.classifierBias(), out);
        return cls.read(out, n);
    }

    public int labels() {
        return labels;
    }
}
