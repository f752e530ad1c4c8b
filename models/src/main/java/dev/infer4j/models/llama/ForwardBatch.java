package dev.infer4j.models.llama;

/**
 * The tokens one forward pass processes: one or more segments, each a run of consecutive positions of one
 * sequence (a KV-cache slot). A prompt is one segment of many tokens (prefill); a decode step over several
 * sequences is one single-token segment per sequence (rows = sequences); both may mix in one batch. The
 * instance is reused from step to step ({@link #clear()}) so that a decode loop allocates nothing.
 */
public final class ForwardBatch {
    /** Which rows of a segment need logits. */
    public enum Logits {
        NONE, LAST, ALL
    }

    private final int maxRows;
    private final int maxLogitRows;
    final int[] tokens;
    final int[] positions;
    final int[] segmentSlot;
    final int[] segmentRow;
    final int[] segmentLength;
    final int[] segmentPosition;
    /** Row of the batch each logit row comes from. */
    final int[] logitSourceRow;
    int rows;
    int segments;
    int logitRows;

    ForwardBatch(int maxRows, int maxLogitRows) {
        this.maxRows = maxRows;
        this.maxLogitRows = maxLogitRows;
        tokens = new int[maxRows];
        positions = new int[maxRows];
        segmentSlot = new int[maxRows];
        segmentRow = new int[maxRows];
        segmentLength = new int[maxRows];
        segmentPosition = new int[maxRows];
        logitSourceRow = new int[maxLogitRows];
    }

    /** Empties the batch for the next step. */
    public ForwardBatch clear() {
        rows = 0;
        segments = 0;
        logitRows = 0;
        return this;
    }

    /**
     * Adds {@code count} tokens of the sequence in {@code slot}, at positions {@code startPosition ...}; the cache
     * must already hold that slot's positions {@code 0 .. startPosition - 1}. Returns the index of the segment's
     * first logit row in {@link LlamaModel#readLogits}, or -1 when it asked for none.
     */
    public int add(int slot, int startPosition, int[] ids, int from, int count, Logits logits) {
        if (count <= 0 || from < 0 || from + count > ids.length) {
            throw new IllegalArgumentException("tokens [" + from + ", " + (from + count) + ") of " + ids.length);
        }
        int wanted = switch (logits) {
            case NONE -> 0;
            case LAST -> 1;
            case ALL -> count;
        };
        int firstLogit = appendSegment(slot, startPosition, count, wanted);
        System.arraycopy(ids, from, tokens, rows - count, count);
        return firstLogit;
    }

    /** Adds one token (a decode step of one sequence) and asks for its logits; returns its logit row. */
    public int addToken(int slot, int position, int token) {
        int logitRow = appendSegment(slot, position, 1, 1);
        tokens[rows - 1] = token;
        return logitRow;
    }

    private int appendSegment(int slot, int startPosition, int count, int wanted) {
        if (startPosition < 0 || slot < 0) {
            throw new IllegalArgumentException("negative slot or position: slot " + slot + ", position " + startPosition);
        }
        if (rows + count > maxRows) {
            throw new IllegalArgumentException("batch holds at most " + maxRows + " tokens; " + rows + " + " + count
                    + " requested (split long prompts into chunks)");
        }
        if (logitRows + wanted > maxLogitRows) {
            throw new IllegalArgumentException("batch gives logits for at most " + maxLogitRows + " rows; "
                    + (logitRows + wanted) + " requested");
        }
        for (int s = 0; s < segments; s++) {
            if (segmentSlot[s] == slot) {
                throw new IllegalArgumentException("slot " + slot + " appears twice in one batch");
            }
        }
        segmentSlot[segments] = slot;
        segmentRow[segments] = rows;
        segmentLength[segments] = count;
        segmentPosition[segments] = startPosition;
        segments++;
        for (int i = 0; i < count; i++) {
            positions[rows + i] = startPosition + i;
        }
        int firstLogit = wanted == 0 ? -1 : logitRows;
        for (int i = count - wanted; i < count; i++) {
            logitSourceRow[logitRows++] = rows + i;
        }
        rows += count;
        return firstLogit;
    }

    public int rows() {
        return rows;
    }

    public int logitRows() {
        return logitRows;
    }

    public int maxRows() {
        return maxRows;
    }

    public int maxLogitRows() {
        return maxLogitRows;
    }

    public boolean isEmpty() {
        return rows == 0;
    }
}
