package dev.infer4j.engine.schedule;

import java.time.Duration;

/** A request ran past its deadline (queue time included) and was stopped; its slot is free again. */
public final class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException(Duration timeout, int generatedTokens) {
        super("the request did not finish within " + timeout.toMillis() + " ms (" + generatedTokens
                + " tokens generated)");
    }
}
