package dev.infer4j.engine.schedule;

import java.util.concurrent.RejectedExecutionException;

/** A request was refused, or dropped from the queue, because its scheduler is shutting down. */
public final class SchedulerClosedException extends RejectedExecutionException {
    public SchedulerClosedException(String message) {
        super(message);
    }
}
