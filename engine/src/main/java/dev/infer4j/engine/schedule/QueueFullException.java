package dev.infer4j.engine.schedule;

import java.util.concurrent.RejectedExecutionException;

/** A request was refused because the scheduler's queue is full; the caller may retry later. */
public final class QueueFullException extends RejectedExecutionException {
    private final int capacity;

    public QueueFullException(int capacity) {
        super("the request queue is full (" + capacity + " requests waiting); retry later");
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }
}
