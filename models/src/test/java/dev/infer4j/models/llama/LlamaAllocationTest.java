package dev.infer4j.models.llama;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.RopeSpec;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.testing.SharedModels;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The model's own code allocates nothing per decode step: driven through a backend whose operations do nothing,
 * a thousand single-token steps (one sequence, then three sequences per step) allocate no heap memory per step
 * on the calling thread once warmed up.
 */
class LlamaAllocationTest {

    /** Every op a no-op; memory from an arena; weights remembered by shape only. */
    private static final class InertBackend implements Backend {
        private final Arena arena = Arena.ofConfined();

        @Override
        public String name() {
            return "inert";
        }

        @Override
        public Tensor allocate(DType dtype, long... shape) {
            return Tensor.allocate(arena, dtype, shape);
        }

        @Override
        public Weight prepareWeight(Tensor weight, WeightLayout layout) {
            return new Weight() {
                public DType dtype() {
                    return weight.dtype();
                }

                public long outFeatures() {
                    return weight.dim(0);
                }

                public long inFeatures() {
                    return weight.dim(1);
                }
            };
        }

        public void write(Tensor dst, long offset, float[] src, int from, int length) { }
        public void read(Tensor src, long offset, float[] dst, int from, int length) { }
        public void copyRows(Tensor src, long srcRow, Tensor dst, long dstRow, long rows) { }
        public void matmul(Tensor x, Weight w, Tensor bias, Tensor out) { }
        public void embedding(Tensor table, int[] ids, int count, Tensor out) { }
        public void add(Tensor a, Tensor b, Tensor out) { }
        public void scale(Tensor x, float factor) { }
        public void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) { }
        public void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) { }
        public void softmax(Tensor x) { }
        public void l2Normalize(Tensor x) { }
        public void gelu(Tensor x, Tensor out) { }
        public void geluTanh(Tensor x, Tensor out) { }
        public void silu(Tensor x, Tensor out) { }
        public void swiglu(Tensor gate, Tensor up, Tensor out) { }
        public void rope(Tensor x, int[] positions, RopeSpec spec) { }
        public void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionSpec spec) { }
        public void meanPool(Tensor x, int batch, int seqLength, int[] lengths, Tensor out) { }

        @Override
        public void close() {
            arena.close();
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void decodeStepsAllocateNothing() {
        try (GgufFile file = GgufFile.open(SharedModels.file("models/stories260K/stories260K.gguf"));
             InertBackend backend = new InertBackend()) {
            LlamaModel model = LlamaModel.load(file, backend, 8, 8);
            KvCache cache = model.newKvCache(3, 2100);
            ForwardBatch batch = model.newBatch();
            float[] logits = new float[model.config().vocabSize()];
            for (int round = 0; round < 2; round++) {
                long before = allocatedBytes();
                for (int pos = 0; pos < 1000; pos++) {
                    batch.clear();
                    int row = batch.addToken(0, pos, pos % 512);
                    model.forward(batch, cache);
                    model.readLogits(row, logits);
                }
                long single = allocatedBytes() - before;
                before = allocatedBytes();
                for (int pos = 0; pos < 1000; pos++) {
                    batch.clear();
                    for (int slot = 0; slot < 3; slot++) {
                        batch.addToken(slot, pos + slot, (pos + slot) % 512);
                    }
                    model.forward(batch, cache);
                }
                long three = allocatedBytes() - before;
                if (round == 1) {
                    // one object per step would be at least 16 000 bytes; what remains is the switch between the
                    // two batch shapes (a new key-length array and spec) at the start of each loop
                    assertTrue(single < 4096, "one sequence: " + single + " bytes in 1000 steps");
                    assertTrue(three < 4096, "three sequences: " + three + " bytes in 1000 steps");
                }
            }
        }
    }
}
