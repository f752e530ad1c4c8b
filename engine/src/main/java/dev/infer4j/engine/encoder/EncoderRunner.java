package dev.infer4j.engine.encoder;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.bert.BertEncoder;
import dev.infer4j.models.bert.BertWeights;
import dev.infer4j.models.bert.PackedBatch;
import dev.infer4j.models.registry.EncoderModelFiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a BERT encoder over any number of inputs: sorts them by length, packs them into micro-batches
 * of at most {@link #capacityTokens()} tokens (no padding: one long input never inflates the others),
 * applies a head to each micro-batch's token states, and returns the head's rows in input order.
 * Thread-safe: forward passes are serialized, since they share activation buffers.
 */
public final class EncoderRunner implements AutoCloseable {

    /** Turns a micro-batch's packed token states into one row of floats per sequence. Called under the runner's lock. */
    @FunctionalInterface
    public interface Head {
        float[][] apply(Tensor states, PackedBatch batch);
    }

    private final Backend backend;
    private final boolean ownsBackend;
    private final EncoderModelFiles files;
    private final BertWeights weights;
    private final BertEncoder encoder;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * @param backend        compute backend
     * @param ownsBackend    whether {@link #close()} closes the backend too
     * @param files          the opened model; closed with this runner (the caller keeps ownership of it and of
     *                       the backend if the constructor throws)
     * @param capacityTokens most tokens per forward pass (activation memory grows with it); at least the model's maximum length
     */
    public EncoderRunner(Backend backend, boolean ownsBackend, EncoderModelFiles files, int capacityTokens) {
        if (capacityTokens < files.maxTokens()) {
            throw new IllegalArgumentException("a micro-batch of " + capacityTokens + " tokens cannot hold one input of "
                    + files.maxTokens() + " tokens");
        }
        this.backend = backend;
        this.ownsBackend = ownsBackend;
        this.files = files;
        this.weights = BertWeights.load(files.weights(), files.config(), backend);
        try {
            this.encoder = new BertEncoder(backend, weights, capacityTokens);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    public Backend backend() {
        return backend;
    }

    public EncoderModelFiles files() {
        return files;
    }

    public BertWeights weights() {
        return weights;
    }

    public int capacityTokens() {
        return encoder.capacityTokens();
    }

    /** Runs the encoder and {@code head} over {@code inputs}; row {@code i} of the result belongs to input {@code i}. */
    public float[][] run(List<TokenizedInput> inputs, Head head) {
        int n = inputs.size();
        float[][] result = new float[n][];
        if (n == 0) {
            return result;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // longest first, so equal lengths are adjacent (attention and mean pooling run per equal-length run)
        Arrays.sort(order, (a, b) -> Integer.compare(inputs.get(b).length(), inputs.get(a).length()));
        int start = 0;
        while (start < n) {
            int end = start;
            int tokens = 0;
            while (end < n && tokens + inputs.get(order[end]).length() <= encoder.capacityTokens()) {
                tokens += inputs.get(order[end]).length();
                end++;
            }
            if (end == start) {
                throw new IllegalArgumentException("input " + order[start] + " has " + inputs.get(order[start]).length()
                        + " tokens, more than a micro-batch holds (" + encoder.capacityTokens() + ")");
            }
            List<int[]> ids = new ArrayList<>(end - start);
            List<int[]> types = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                ids.add(inputs.get(order[i]).ids());
                types.add(inputs.get(order[i]).typeIds());
            }
            PackedBatch batch = PackedBatch.of(ids, types);
            float[][] rows;
            lock.lock();
            try {
                rows = head.apply(encoder.forward(batch), batch);
            } finally {
                lock.unlock();
            }
            for (int i = start; i < end; i++) {
                result[order[i]] = rows[i - start];
            }
            start = end;
        }
        return result;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            weights.close();
            files.close();
            if (ownsBackend) {
                backend.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
