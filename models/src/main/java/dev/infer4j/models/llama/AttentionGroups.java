package dev.infer4j.models.llama;

import dev.infer4j.kernels.AttentionSpec;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Tensor;

/**
 * How one batch's attention is issued: consecutive segments with the same number of tokens in consecutive
 * cache slots form one group, which is one {@link Backend#attention} call over {@code [segments, capacity]}
 * keys (a decode step of sequences in slots 3, 4, 5 is a single call); any other segment is a call of its own
 * over its slot's keys. Planned once per forward pass and reused by every layer.
 */
final class AttentionGroups {
    private final AttentionSpec[] specs;
    private final int[] firstSlot;
    private final int[] firstRow;
    private final int[] rows;
    private final int count;

    private AttentionGroups(AttentionSpec[] specs, int[] firstSlot, int[] firstRow, int[] rows, int count) {
        this.specs = specs;
        this.firstSlot = firstSlot;
        this.firstRow = firstRow;
        this.rows = rows;
        this.count = count;
    }

    static AttentionGroups plan(ForwardBatch b, KvCache cache, LlamaConfig c, float scale) {
        AttentionSpec[] specs = new AttentionSpec[b.segments];
        int[] firstSlot = new int[b.segments];
        int[] firstRow = new int[b.segments];
        int[] rows = new int[b.segments];
        int groups = 0;
        int s = 0;
        while (s < b.segments) {
            int length = b.segmentLength[s];
            int n = 1;
            while (s + n < b.segments && b.segmentLength[s + n] == length
                    && b.segmentSlot[s + n] == b.segmentSlot[s] + n) {
                n++;
            }
            int[] keyLengths = new int[n];
            for (int i = 0; i < n; i++) {
                keyLengths[i] = b.segmentPosition[s + i] + length;
            }
            specs[groups] = new AttentionSpec(c.heads(), c.kvHeads(), c.headDim(), scale, true, n, length,
                    cache.capacity(), keyLengths);
            firstSlot[groups] = b.segmentSlot[s];
            firstRow[groups] = b.segmentRow[s];
            rows[groups] = n * length;
            groups++;
            s += n;
        }
        return new AttentionGroups(specs, firstSlot, firstRow, rows, groups);
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
                long from = cache.row(firstSlot[g], 0);
                long n = (long) spec.batch() * cache.capacity();
                int kvDim = Math.toIntExact(cache.keys(layer).columns());
                keys = cache.keys(layer).rowSlice(from, n).reshape(spec.batch(), cache.capacity(), kvDim);
                values = cache.values(layer).rowSlice(from, n).reshape(spec.batch(), cache.capacity(), kvDim);
            }
            backend.attention(q, keys, values, out, spec);
        }
    }
}
