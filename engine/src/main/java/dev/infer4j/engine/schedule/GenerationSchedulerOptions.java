package dev.infer4j.engine.schedule;

import java.time.Duration;

/**
 * Limits of a {@link GenerationScheduler}.
 *
 * @param parallel        sequences decoded together (at most the generator's sessions, i.e. KV-cache slots)
 * @param maxQueued       requests that may wait for a slot; one more gets {@link QueueFullException}
 * @param prefillChunk    most prompt tokens of one sequence per step, so a long prompt does not stall the others
 * @param requestTimeout  default deadline of a request, from submission to last token
 */
public record GenerationSchedulerOptions(int parallel, int maxQueued, int prefillChunk, Duration requestTimeout) {
    public GenerationSchedulerOptions {
        if (parallel <= 0) {
            throw new IllegalArgumentException("parallel must be positive, got " + parallel);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("max queued requests must be >= 0, got " + maxQueued);
        }
        if (prefillChunk <= 0) {
            throw new IllegalArgumentException("prefill chunk must be positive, got " + prefillChunk);
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive, got " + requestTimeout);
        }
    }

    public static GenerationSchedulerOptions of(int parallel, int maxQueued) {
        return new GenerationSchedulerOptions(parallel, maxQueued, 128, Duration.ofMinutes(10));
    }
}
