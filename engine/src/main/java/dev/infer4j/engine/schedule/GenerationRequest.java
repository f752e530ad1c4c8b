package dev.infer4j.engine.schedule;

import dev.infer4j.engine.generate.GenerationOptions;
import java.time.Duration;

/**
 * One generation for a {@link GenerationScheduler}.
 *
 * @param prompt   prompt token ids (start token included when the vocabulary wants one)
 * @param options  token limit, stop strings, sampling (with its own seed)
 * @param timeout  how long the request may take from submission to its last token; {@code null} = the scheduler's default
 * @param topLogprobs -1: no log-probabilities; k >= 0: each token's log-probability and the k most likely tokens
 *                 reach the sink ({@link GenerationSink#onToken(int, String, TokenLogprobs)})
 */
public record GenerationRequest(int[] prompt, GenerationOptions options, Duration timeout, int topLogprobs) {
    public GenerationRequest {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("the prompt has no tokens");
        }
        if (options == null) {
            throw new IllegalArgumentException("generation options are required");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (topLogprobs < -1) {
            throw new IllegalArgumentException("top logprobs must be -1 (none) or >= 0, got " + topLogprobs);
        }
        prompt = prompt.clone();
    }

    public GenerationRequest(int[] prompt, GenerationOptions options, Duration timeout) {
        this(prompt, options, timeout, -1);
    }

    public GenerationRequest(int[] prompt, GenerationOptions options) {
        this(prompt, options, null);
    }
}
