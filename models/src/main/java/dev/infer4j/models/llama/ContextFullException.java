package dev.infer4j.models.llama;

/** A sequence would grow past the positions its KV-cache slot holds. */
public final class ContextFullException extends IllegalStateException {
    private final int slot;
    private final long positions;
    private final int capacity;

    public ContextFullException(int slot, long positions, int capacity) {
        super("the sequence in KV-cache slot " + slot + " would need " + positions + " positions; the context holds "
                + capacity);
        this.slot = slot;
        this.positions = positions;
        this.capacity = capacity;
    }

    public int slot() {
        return slot;
    }

    public long positions() {
        return positions;
    }

    public int capacity() {
        return capacity;
    }
}
