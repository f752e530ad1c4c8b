package dev.infer4j.models.llama;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Tensor;

/**
 * How one batch's attention is issued: consecutive segments with the same number of tokens in consecutive
 * cache slots form one group, which is one {@link Backend#attention} call over {@code [segments, capacity]}
 * keys (a decode step of sequences in slots 3, 4, 5 is a single call); any other segment is a call of its own
 * over its slot's keys. Planned once per forward pass and used by every layer. The planner is reused from pass
 * to pass: a step shaped like the previous one (the decode loop) reuses its specs and only refreshes the key
 * lengths in place, which {@link AttentionSpec} allows (they are read during the call only), so decoding
 * allocates nothing here.
 */
final class AttentionGroups {
    private final AttentionSpec[] specs;
    private final int[][] keyLengths;
    private final int[] firstSlot;
    private final int[] firstRow;
    private final int[] rows;
    /** Per group, its slots' keys and values per layer as attention's {@code [sequences, capacity, kvDim]}. */
    private final Tensor[][] groupKeys;
    private final Tensor[][] groupValues;
    private final int[] viewSlot;
    private final int[] viewSequences;
    private KvCache viewCache;
    private int count;

    AttentionGroups(int maxSegments) {
        groupKeys = new Tensor[maxSegments][];
        groupValues = new Tensor[maxSegments][];
        viewSlot = new int[maxSegments];
        viewSequences = new int[maxSegments];
        specs = new AttentionSpec[maxSegments];
        keyLengths = new int[maxSegments][];
        firstSlot = new int[maxSegments];
        firstRow = new int[maxSegments];
        rows = new int[maxSegments];
    }

    /** Groups the batch's segments; the batch must already be checked against the cache's slots and capacity. */
    void plan(ForwardBatch b, KvCache cache, LlamaConfig c, float scale) {
        int groups = 0;
        int s = 0;
        while (s < b.segments) {
            int length = b.segmentLength[s];
            int n = 1;
            while (s + n < b.segments && b.segmentLength[s + n] == length
                    && b.segmentSlot[s + n] == b.segmentSlot[s] + n) {
                n++;
            }
            int[] lengths = keyLengths[groups];
            if (lengths == null || lengths.length != n) {
                lengths = new int[n];
                keyLengths[groups] = lengths;
                specs[groups] = null;
            }
            for (int i = 0; i < n; i++) {
                lengths[i] = b.segmentPosition[s + i] + length;
            }
            AttentionSpec spec = specs[groups];
            if (spec == null || spec.queryLength() != length || spec.keyCapacity() != cache.capacity()) {
                specs[groups] = new AttentionSpec(c.heads(), c.kvHeads(), c.headDim(), scale, true, n, length,
                        cache.capacity(), lengths);
            }
            firstSlot[groups] = b.segmentSlot[s];
            firstRow[groups] = b.segmentRow[s];
            if (n > 1) {
                multiSlotViews(groups, cache, c.layers(), b.segmentSlot[s], n);
            }
            rows[groups] = n * length;
            groups++;
            s += n;
        }
        count = groups;
    }

    /** Views of {@code n} consecutive slots for every layer, rebuilt only when the group's slots change. */
    private void multiSlotViews(int g, KvCache cache, int layers, int slot, int n) {
        if (groupKeys[g] != null && viewCache == cache && viewSlot[g] == slot && viewSequences[g] == n) {
            return;
        }
        viewCache = cache;
        viewSlot[g] = slot;
        viewSequences[g] = n;
        groupKeys[g] = new Tensor[layers];
        groupValues[g] = new Tensor[layers];
        long from = cache.row(slot, 0);
        long rowCount = (long) n * cache.capacity();
        for (int l = 0; l < layers; l++) {
            int kvDim = Math.toIntExact(cache.keys(l).columns());
            groupKeys[g][l] = cache.keys(l).rowSlice(from, rowCount).reshape(n, cache.capacity(), kvDim);
            groupValues[g][l] = cache.values(l).rowSlice(from, rowCount).reshape(n, cache.capacity(), kvDim);
        }
    }

    void attend(Backend backend, LlamaScratch a, KvCache cache, int layer) {
        for (int g = 0; g < count; g++) {
            AttentionSpec spec = specs[g];
            boolean wholeBatch = count == 1;
            Tensor q = wholeBatch ? a.qs : a.qs.rowSlice(firstRow[g], rows[g]);
            Tensor out = wholeBatch ? a.attns : a.attns.rowSlice(firstRow[g], rows[g]);
            Tensor keys;
            Tensor values;
            if (spec.batch() == 1) {
                keys = cache.slotKeys(layer, firstSlot[g]);
                values = cache.slotValues(layer, firstSlot[g]);
            } else {
                keys = groupKeys[g][layer];
                values = groupValues[g][layer];
            }
            backend.attention(q, keys, values, out, spec);
        }
    }
}
