package dev.infer4j.models.bert;

import java.util.List;

/**
 * Token sequences laid end to end without padding: sequence {@code s} occupies rows
 * {@code [offset(s), offset(s) + length(s))} of every activation. Row-wise work (matmuls, norms, FFN)
 * then costs exactly the real tokens; only attention looks at sequence boundaries.
 */
public final class PackedBatch {
    private final int[] ids;
    private final int[] typeIds;
    private final int[] positions;
    private final int[] offsets;
    private final int[] lengths;

    private PackedBatch(int[] ids, int[] typeIds, int[] positions, int[] offsets, int[] lengths) {
        this.ids = ids;
        this.typeIds = typeIds;
        this.positions = positions;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /**
     * Packs sequences of token ids with their token-type ids ({@code typeIds} may be null: all 0).
     * Every sequence needs at least one token.
     */
    public static PackedBatch of(List<int[]> ids, List<int[]> typeIds) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one sequence");
        }
        if (typeIds != null && typeIds.size() != ids.size()) {
            throw new IllegalArgumentException(ids.size() + " sequences but " + typeIds.size() + " type-id arrays");
        }
        int total = 0;
        int[] lengths = new int[ids.size()];
        int[] offsets = new int[ids.size()];
        for (int s = 0; s < ids.size(); s++) {
            int n = ids.get(s).length;
            if (n == 0) {
                throw new IllegalArgumentException("sequence " + s + " is empty");
            }
            if (typeIds != null && typeIds.get(s).length != n) {
                throw new IllegalArgumentException("sequence " + s + " has " + n + " ids but " + typeIds.get(s).length + " type ids");
            }
            offsets[s] = total;
            lengths[s] = n;
            total = Math.addExact(total, n);
        }
        int[] packedIds = new int[total];
        int[] packedTypes = new int[total];
        int[] positions = new int[total];
        for (int s = 0; s < ids.size(); s++) {
            System.arraycopy(ids.get(s), 0, packedIds, offsets[s], lengths[s]);
            if (typeIds != null) {
                System.arraycopy(typeIds.get(s), 0, packedTypes, offsets[s], lengths[s]);
            }
            for (int i = 0; i < lengths[s]; i++) {
                positions[offsets[s] + i] = i;
            }
        }
        return new PackedBatch(packedIds, packedTypes, positions, offsets, lengths);
    }

    public int sequences() {
        return lengths.length;
    }

    public int tokens() {
        return ids.length;
    }

    public int offset(int sequence) {
        return offsets[sequence];
    }

    public int length(int sequence) {
        return lengths[sequence];
    }

    public int maxLength() {
        int max = 0;
        for (int l : lengths) {
            max = Math.max(max, l);
        }
        return max;
    }

    int[] ids() {
        return ids;
    }

    int[] typeIds() {
        return typeIds;
    }

    int[] positions() {
        return positions;
    }
}
