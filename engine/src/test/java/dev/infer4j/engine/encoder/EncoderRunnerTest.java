package dev.infer4j.engine.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.Backends;
import dev.infer4j.models.bert.PackedBatch;
import dev.infer4j.models.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Micro-batching: length-sorted, within the token budget, no padding, results back in input order. */
class EncoderRunnerTest {

    @Test
    void packsSortedMicroBatchesWithinTheBudgetAndRestoresInputOrder() {
        Random random = new Random(3);
        List<TokenizedInput> inputs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int length = 2 + random.nextInt(i % 7 == 0 ? 255 : 30);
            int[] ids = new int[length];
            for (int t = 0; t < length; t++) {
                ids[t] = 1000 + random.nextInt(20000);
            }
            ids[0] = i; // marks the input, to check where each result lands
            inputs.add(new TokenizedInput(ids, new int[length], false));
        }
        List<int[]> batches = new ArrayList<>();
        try (EncoderRunner runner = new EncoderRunner(Backends.create("cpu", 2), true,
                ModelRegistry.userDefault().openEncoder("all-minilm-l6-v2"), 300)) {
            float[][] rows = runner.run(inputs, (states, batch) -> {
                assertEquals(batch.tokens(), states.rows(), "states cover exactly the real tokens: no padding");
                int[] lengths = new int[batch.sequences()];
                float[][] out = new float[batch.sequences()][];
                for (int s = 0; s < batch.sequences(); s++) {
                    lengths[s] = batch.length(s);
                    out[s] = new float[] {batch.length(s)};
                }
                batches.add(lengths);
                return out;
            });
            for (int i = 0; i < inputs.size(); i++) {
                assertEquals(inputs.get(i).length(), (int) rows[i][0], "result " + i + " belongs to input " + i);
            }
        }
        int previous = Integer.MAX_VALUE;
        int total = 0;
        for (int[] lengths : batches) {
            int tokens = 0;
            for (int l : lengths) {
                assertTrue(l <= previous, "longest first, across and within micro-batches");
                previous = l;
                tokens += l;
            }
            assertTrue(tokens <= 300, "micro-batch of " + tokens + " tokens exceeds the budget");
            total += lengths.length;
        }
        assertEquals(inputs.size(), total);
        assertTrue(batches.size() > 3, "the budget forces several micro-batches");
    }

    @Test
    void aBudgetSmallerThanOneInputIsRefused() {
        try (var backend = Backends.create("cpu", 1);
             var files = ModelRegistry.userDefault().openEncoder("all-minilm-l6-v2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new EncoderRunner(backend, true, files, 100));
            assertTrue(e.getMessage().contains("100") && e.getMessage().contains("256"), e.getMessage());
        }
    }

    @Test
    void packedBatchesRejectBadInput() {
        assertThrows(IllegalArgumentException.class, () -> PackedBatch.of(List.of(), null));
        assertThrows(IllegalArgumentException.class, () -> PackedBatch.of(List.of(new int[0]), null));
        assertThrows(IllegalArgumentException.class, () -> PackedBatch.of(List.of(new int[3]), List.of(new int[2])));
        PackedBatch b = PackedBatch.of(List.of(new int[] {1, 2, 3}, new int[] {4, 5}), null);
        assertArrayEquals(new int[] {0, 3}, new int[] {b.offset(0), b.offset(1)});
        assertEquals(5, b.tokens());
    }
}
