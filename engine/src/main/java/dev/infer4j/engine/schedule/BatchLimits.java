package dev.infer4j.engine.schedule;

/**
 * Bounds of a dynamic batcher.
 *
 * @param maxBatchTokens    token budget of one model call (sum of the inputs' token counts); a single request
 *                          larger than this still runs, alone
 * @param maxBatchRequests  most requests merged into one model call
 * @param maxQueuedRequests most requests waiting; beyond it {@link QueueFullException}
 */
public record BatchLimits(int maxBatchTokens, int maxBatchRequests, int maxQueuedRequests) {

    public static final BatchLimits DEFAULT = new BatchLimits(16_384, 64, 512);

    public BatchLimits {
        requirePositive("maxBatchTokens", maxBatchTokens);
        requirePositive("maxBatchRequests", maxBatchRequests);
        requirePositive("maxQueuedRequests", maxQueuedRequests);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
