package dev.infer4j.models.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.registry.EncoderModelFiles;
import dev.infer4j.models.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The encoder sizes its activations by the passes it runs: a small pass first, then one that needs the
 * full capacity, then the small one again. Every row of a sequence is computed from that sequence alone,
 * so its states must come out bit for bit the same whatever buffers and neighbours it had.
 */
class BertEncoderBuffersTest {

    @Test
    void growingTheActivationsKeepsEveryResult() {
        List<int[]> small = List.of(new int[] {101, 7592, 1010, 2088, 999, 102}, new int[] {101, 2129, 2079, 1045, 102});
        List<int[]> large = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            int[] ids = new int[20 + s];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 1000 + 37 * s + 11 * i;
            }
            ids[0] = 101;
            ids[ids.length - 1] = 102;
            large.add(ids);
        }
        large.addAll(small); // 135 + 11 tokens: more than the first allocation of 64 rows
        try (EncoderModelFiles files = ModelRegistry.userDefault().openEncoder("all-minilm-l6-v2");
             Backend backend = Backends.create("cpu", 2);
             BertWeights weights = BertWeights.load(files.weights(), files.config(), backend)) {
            BertEncoder encoder = new BertEncoder(backend, weights, 160);
            PackedBatch smallBatch = PackedBatch.of(small, null);
            float[][] before = rows(backend, encoder.forward(smallBatch), 0, smallBatch.tokens());

            PackedBatch largeBatch = PackedBatch.of(large, null);
            Tensor states = encoder.forward(largeBatch);
            int smallFrom = largeBatch.offset(large.size() - small.size());
            assertArrayEquals(before, rows(backend, states, smallFrom, smallBatch.tokens()),
                    "the small sequences packed after others into the grown buffers");

            float[][] after = rows(backend, encoder.forward(smallBatch), 0, smallBatch.tokens());
            assertArrayEquals(before, after, "the small batch again, on the grown buffers");

            List<int[]> tooMany = new ArrayList<>(large);
            tooMany.add(new int[] {101, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012, 102});
            assertThrows(IllegalArgumentException.class, () -> encoder.forward(PackedBatch.of(tooMany, null)));
        }
    }

    private static float[][] rows(Backend backend, Tensor states, int from, int count) {
        int width = (int) states.columns();
        float[][] out = new float[count][width];
        for (int r = 0; r < count; r++) {
            backend.read(states, (long) (from + r) * width, out[r], 0, width);
        }
        return out;
    }
}
