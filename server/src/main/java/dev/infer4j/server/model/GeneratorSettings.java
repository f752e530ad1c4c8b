package dev.infer4j.server.model;

import java.time.Duration;

/**
 * How the server runs each text generation model.
 *
 * @param parallel       sequence slots decoded together (continuous batching); each owns a KV-cache slot
 * @param contextSize    positions per slot (prompt plus generated); 0 = the model's training context, at most 4096
 *                       (and at most what {@code kvCacheBytes} allows)
 * @param kvCacheBytes   memory the KV cache of all slots may take, allocated when the model loads; 0 = no budget
 * @param maxQueued      requests that may wait for a slot; one more gets 429
 * @param prefillChunk   prompt tokens of one sequence per step, so that a long prompt does not stall the others
 * @param requestTimeout longest a request may take, queue time included; then it stops with 503
 * @param chatTemplate   chat template name ({@code chatml}, {@code llama3}, …) overriding the model's; null = the model's
 */
public record GeneratorSettings(int parallel, int contextSize, long kvCacheBytes, int maxQueued, int prefillChunk,
                                Duration requestTimeout, String chatTemplate) {
    /** Most slots one forward pass can sample from (the engine's logit rows per pass). */
    public static final int MAX_PARALLEL = 64;

    public GeneratorSettings {
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw new IllegalArgumentException("parallel must be from 1 to " + MAX_PARALLEL + ", got " + parallel);
        }
        if (contextSize < 0) {
            throw new IllegalArgumentException("the context size must be >= 0 (0 = the model's), got " + contextSize);
        }
        if (kvCacheBytes < 0) {
            throw new IllegalArgumentException("the KV cache budget must be >= 0 (0 = none), got " + kvCacheBytes);
        }
        if (maxQueued < 0 || prefillChunk < 1) {
            throw new IllegalArgumentException("need maxQueued >= 0 and prefillChunk >= 1");
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, got " + requestTimeout);
        }
    }

    /** Four slots, the model's context, no KV budget, 512 queued, 128-token prefill chunks, 10 minutes. */
    public static GeneratorSettings defaults() {
        return new GeneratorSettings(4, 0, 0, 512, 128, Duration.ofMinutes(10), null);
    }
}
