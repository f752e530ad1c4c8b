package dev.infer4j.engine.schedule;

import dev.infer4j.engine.generate.GenerationOptions;
import java.time.Duration;

/**
 * One generation for a {@link GenerationScheduler}.
 *
 * @param prompt   prompt token ids (start token included when the vocabulary wants one)
 * @param options  token limit, stop strings, sampling (with its own seed)
 * @param timeout  how long the request may take from submission to its last token; {@code null} = the scheduler's default
 */
public record GenerationRequest(int[] prompt, GenerationOptions options, Duration timeout) {
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
        prompt = prompt.clone();
    }

    public GenerationRequest(int[] prompt, GenerationOptions options) {
        this(prompt, options, null);
    }
}
