package dev.infer4j.engine.schedule;

import java.time.Duration;

/**
 * Bounds of a dynamic batcher.
 *
 * @param maxBatchTokens    token budget of one model call (sum of the inputs' token counts); a single request
 *                          larger than this still runs, alone
 * @param maxBatchRequests  most requests merged into one model call
 * @param maxQueuedRequests most requests waiting; beyond it {@link QueueFullException}
 * @param maxBatchWait      longest the worker, once free, waits for more requests to join a batch that is not full;
 *                          the wait also ends at the first {@link #ARRIVAL_GAP} without a new request, never
 *                          exceeds a quarter of the previous model call, and happens only after a call that merged
 *                          several requests (so a lone client is never delayed). Zero: take what is queued at once.
 */
public record BatchLimits(int maxBatchTokens, int maxBatchRequests, int maxQueuedRequests, Duration maxBatchWait) {

    /** A lull this long ends the wait for more requests: the burst that was arriving is over. */
    public static final Duration ARRIVAL_GAP = Duration.ofMillis(3);

    public static final BatchLimits DEFAULT = new BatchLimits(16_384, 64, 512, Duration.ofMillis(10));

    public BatchLimits {
        requirePositive("maxBatchTokens", maxBatchTokens);
        requirePositive("maxBatchRequests", maxBatchRequests);
        requirePositive("maxQueuedRequests", maxQueuedRequests);
        if (maxBatchWait == null || maxBatchWait.isNegative()) {
            throw new IllegalArgumentException("maxBatchWait must be zero or positive, got " + maxBatchWait);
        }
    }

    /** Limits without waiting for batches to fill. */
    public BatchLimits(int maxBatchTokens, int maxBatchRequests, int maxQueuedRequests) {
        this(maxBatchTokens, maxBatchRequests, maxQueuedRequests, Duration.ZERO);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
