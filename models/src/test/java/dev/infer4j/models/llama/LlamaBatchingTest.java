package dev.infer4j.models.llama;

import static dev.infer4j.models.llama.LlamaArchitecturesTest.maxDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.testing.SharedModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ways of splitting the same work over forward passes give the same logits: one prefill, token by token,
 * chunks, and several sequences decoded together in one batch (consecutive slots share one attention call,
 * others get their own). Tolerance 1e-4: GEMM and GEMV paths may round differently, nothing more.
 */
class LlamaBatchingTest {
    private static final int[] A = {1, 403, 407, 261, 378, 432, 383, 286, 261, 376};
    private static final int[] B = {1, 385, 410, 317, 274, 368};
    private static final float TOLERANCE = 1e-4f;

    private GgufFile file;
    private Backend backend;
    private LlamaModel model;

    @BeforeEach
    void load() {
        file = GgufFile.open(SharedModels.file("models/stories260K/stories260K.gguf"));
        backend = Backends.create("cpu", 2);
        model = LlamaModel.load(file, backend, 16, 16);
    }

    @AfterEach
    void close() {
        backend.close();
        file.close();
    }

    private float[] row(int logitRow) {
        float[] l = new float[model.config().vocabSize()];
        model.readLogits(logitRow, l);
        return l;
    }

    private float[][] prefill(int[] tokens) {
        KvCache cache = model.newKvCache(1, 32);
        ForwardBatch b = model.newBatch();
        b.add(0, 0, tokens, 0, tokens.length, ForwardBatch.Logits.ALL);
        model.forward(b, cache);
        float[][] out = new float[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = row(i);
        }
        return out;
    }

    @Test
    void tokenByTokenAndChunksEqualOnePrefill() {
        float[][] once = prefill(A);
        KvCache cache = model.newKvCache(1, 32);
        ForwardBatch b = model.newBatch();
        for (int i = 0; i < A.length; i++) {
            b.clear();
            int r = b.addToken(0, i, A[i]);
            model.forward(b, cache);
            assertTrue(maxDiff(once[i], row(r)) < TOLERANCE, "token " + i);
        }
        KvCache chunked = model.newKvCache(1, 32);
        b.clear();
        b.add(0, 0, A, 0, 4, ForwardBatch.Logits.NONE);
        model.forward(b, chunked);
        b.clear();
        int first = b.add(0, 4, A, 4, 6, ForwardBatch.Logits.ALL);
        model.forward(b, chunked);
        for (int i = 4; i < A.length; i++) {
            assertTrue(maxDiff(once[i], row(first + i - 4)) < TOLERANCE, "chunked position " + i);
        }
    }

    @Test
    void sequencesDecodedTogetherEqualSequencesDecodedAlone() {
        float[][] a = prefill(A);
        float[][] bAlone = prefill(B);
        for (int[] slots : new int[][] {{0, 1}, {2, 0}, {1, 3}}) {
            KvCache cache = model.newKvCache(4, 32);
            ForwardBatch batch = model.newBatch();
            // prefill both prompts but their last token, in one mixed batch
            batch.add(slots[0], 0, A, 0, A.length - 1, ForwardBatch.Logits.NONE);
            batch.add(slots[1], 0, B, 0, B.length - 1, ForwardBatch.Logits.NONE);
            model.forward(batch, cache);
            // then one decode step for both: rows = sequences
            batch.clear();
            int ra = batch.addToken(slots[0], A.length - 1, A[A.length - 1]);
            int rb = batch.addToken(slots[1], B.length - 1, B[B.length - 1]);
            model.forward(batch, cache);
            assertTrue(maxDiff(a[A.length - 1], row(ra)) < TOLERANCE, "slots " + slots[0] + "," + slots[1]);
            assertTrue(maxDiff(bAlone[B.length - 1], row(rb)) < TOLERANCE, "slots " + slots[0] + "," + slots[1]);
        }
    }

    @Test
    void reusedSlotIsOverwrittenNotMixed() {
        float[][] a = prefill(A);
        KvCache cache = model.newKvCache(1, 32);
        ForwardBatch b = model.newBatch();
        b.add(0, 0, B, 0, B.length, ForwardBatch.Logits.NONE);
        model.forward(b, cache);
        b.clear();
        int r = b.add(0, 0, A, 0, A.length, ForwardBatch.Logits.LAST);
        model.forward(b, cache);
        assertTrue(maxDiff(a[A.length - 1], row(r)) < TOLERANCE);
    }

    @Test
    void batchesThatDoNotFitFailClearly() {
        KvCache cache = model.newKvCache(2, 8);
        ForwardBatch b = model.newBatch();
        b.add(0, 0, A, 0, 8, ForwardBatch.Logits.NONE);
        model.forward(b, cache);
        b.clear().addToken(0, 8, 5);
        ContextFullException full = assertThrows(ContextFullException.class, () -> model.forward(b, cache));
        assertEquals(8, full.capacity());
        b.clear().addToken(2, 0, 5);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> model.forward(b, cache)).getMessage()
                .contains("slot 2 does not exist"));
        b.clear().addToken(0, 0, 512);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> model.forward(b, cache)).getMessage()
                .contains("outside the vocabulary of 512"));
        assertThrows(IllegalArgumentException.class, () -> model.forward(b.clear(), cache));
        ForwardBatch full16 = model.newBatch();
        assertThrows(IllegalArgumentException.class, () -> full16.add(0, 0, new int[17], 0, 17, ForwardBatch.Logits.NONE));
        full16.addToken(1, 0, 3);
        assertThrows(IllegalArgumentException.class, () -> full16.addToken(1, 1, 3), "a slot twice in one batch");
    }
}
