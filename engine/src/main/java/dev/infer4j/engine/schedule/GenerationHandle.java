package dev.infer4j.engine.schedule;

import dev.infer4j.engine.generate.GenerationResult;
import java.util.concurrent.CompletableFuture;

/**
 * A submitted request: its result (completed on the scheduler thread) and a way to cancel it. Cancelling frees
 * the request's slot at the next step; the result then fails with {@link java.util.concurrent.CancellationException}.
 */
public final class GenerationHandle {
    private final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    private volatile boolean cancelled;

    GenerationHandle() {
    }

    public CompletableFuture<GenerationResult> result() {
        return result;
    }

    /** Asks the scheduler to drop the request (client gone); idempotent. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
