package dev.infer4j.engine.schedule;

/** Observes a batcher (for metrics); called on the batcher's worker thread, so it must be quick. */
public interface BatchListener {

    BatchListener NONE = new BatchListener() {
    };

    /** A request left the queue for a model call after waiting {@code waitNanos}. */
    default void dequeued(long waitNanos) {
    }

    /** One model call ran: how many requests and inputs it merged, their tokens, and how long it took. */
    default void batchRan(int requests, int inputs, int tokens, long runNanos) {
    }
}
