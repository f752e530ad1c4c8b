package dev.infer4j.engine.schedule;

import dev.infer4j.engine.generate.FinishReason;
import dev.infer4j.engine.generate.GenerationOptions;
import dev.infer4j.engine.generate.GenerationResult;
import dev.infer4j.engine.generate.Sampler;
import dev.infer4j.engine.generate.SamplingOptions;
import dev.infer4j.engine.generate.StopStrings;
import dev.infer4j.tokenizer.StreamingDecoder;
import dev.infer4j.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * One KV-cache slot of a {@link GenerationScheduler} and the request it is serving: the tokens the slot holds,
 * how far the prompt has been processed, the request's own sampler (own seed, so its text does not depend on
 * which other requests share the batch), and the text decoding with stop strings. Arrays are sized once per
 * slot, so a decode step allocates nothing but the text it emits. Used only on the scheduler thread.
 */
final class ActiveSequence {
    final int slot;
    private final int[] history;
    private final int[] generatedIds;
    private final Sampler sampler;
    private final Tokenizer tokenizer;
    private final int[] endTokens;
    private final int vocabSize;

    GenerationScheduler.Job job;
    private int promptLength;
    /** Positions of this slot the cache holds. */
    int cached;
    /**
     * While the slot is free: how many positions of {@link #history} its cache still holds from the last request,
     * which a new request with the same prefix (a repeated system prompt) need not compute again.
     */
    private int reusable;
    private int reused;
    private int generated;
    /** Token sampled last step, to be fed at position {@link #cached} next step. */
    int nextToken;
    /** Logit row of this sequence in the current step, -1 when it asked for none. */
    int logitRow;
    /** Prompt tokens added in the current step (prefill), 0 for a decode step. */
    int stepPromptTokens;
    private StreamingDecoder decoder;
    private StopStrings stops;
    private final StringBuilder text = new StringBuilder();
    private long admittedNanos;
    private long prefillDoneNanos;
    private long lastTokenNanos;

    ActiveSequence(int slot, int contextLength, Tokenizer tokenizer, int vocabSize, int[] endTokens) {
        this.slot = slot;
        this.history = new int[contextLength];
        this.generatedIds = new int[contextLength];
        this.sampler = new Sampler(vocabSize, SamplingOptions.greedy());
        this.vocabSize = vocabSize;
        this.tokenizer = tokenizer;
        this.endTokens = endTokens;
    }

    boolean isFree() {
        return job == null;
    }

    boolean isPrefilling() {
        return cached < promptLength;
    }

    /**
     * Prompt tokens a request could skip in this free slot: the common prefix of its prompt and the tokens the
     * slot's cache still holds, less one (the last prompt token is always run, for its logits).
     */
    int reusableFor(int[] prompt) {
        int n = Math.min(reusable, prompt.length - 1);
        int common = 0;
        while (common < n && history[common] == prompt[common]) {
            common++;
        }
        return common;
    }

    /** Forgets what the slot's cache holds (after a failed forward pass its contents are unknown). */
    void invalidateCache() {
        reusable = 0;
    }

    void start(GenerationScheduler.Job newJob, long now) {
        job = newJob;
        int[] prompt = newJob.request.prompt();
        reused = reusableFor(prompt);
        reusable = 0;
        System.arraycopy(prompt, 0, history, 0, prompt.length);
        promptLength = prompt.length;
        cached = reused;
        generated = 0;
        logitRow = -1;
        sampler.reset(newJob.request.options().sampling());
        decoder = tokenizer.streamingDecoder(true);
        stops = new StopStrings(newJob.request.options().stop());
        text.setLength(0);
        admittedNanos = now;
        lastTokenNanos = 0;
    }

    int remainingPrompt() {
        return promptLength - cached;
    }

    int[] history() {
        return history;
    }

    int generated() {
        return generated;
    }

    int promptLength() {
        return promptLength;
    }

    /**
     * After a forward pass: takes this step's tokens into account and, when the step gave logits, samples the
     * next token and emits its text. Returns the finish reason when the request is done, else {@code null}.
     */
    FinishReason advance(float[] logits, long now, GenerationSchedulerListener listener) {
        if (stepPromptTokens > 0) {
            cached += stepPromptTokens;
            stepPromptTokens = 0;
            if (isPrefilling()) {
                return null;
            }
            prefillDoneNanos = now;
        } else {
            history[cached++] = nextToken;
        }
        GenerationOptions options = job.request.options();
        int token = sampler.sample(logits, history, cached);
        if (!options.ignoreEos() && contains(endTokens, token)) {
            return FinishReason.END_OF_SEQUENCE;
        }
        generatedIds[generated++] = token;
        if (lastTokenNanos == 0) {
            listener.onFirstToken(now - job.submittedNanos);
        } else {
            listener.onInterToken(now - lastTokenNanos);
        }
        lastTokenNanos = now;
        String piece = stops.push(decoder.push(token));
        text.append(piece);
        int top = job.request.topLogprobs();
        job.sink.onToken(token, piece, top < 0 ? null : TokenLogprobs.of(logits, vocabSize, token, top));
        if (stops.stopped()) {
            return FinishReason.STOP_STRING;
        }
        if (generated == options.maxTokens()) {
            return FinishReason.MAX_TOKENS;
        }
        if (cached == history.length) {
            return FinishReason.CONTEXT_FULL;
        }
        nextToken = token;
        return null;
    }

    /** The result of a finished request; emits what the decoder and stop strings still held back. */
    GenerationResult finish(FinishReason reason, long now) {
        if (!stops.stopped()) {
            String tail = stops.push(decoder.flush()) + stops.flush();
            if (!tail.isEmpty()) {
                text.append(tail);
                job.sink.onToken(-1, tail);
            }
        }
        long prefillEnd = prefillDoneNanos == 0 ? now : prefillDoneNanos;
        return new GenerationResult(text.toString(), Arrays.copyOf(generatedIds, generated), promptLength, reused, reason,
                prefillEnd - admittedNanos, now - prefillEnd);
    }

    void clear() {
        reusable = cached;
        job = null;
        decoder = null;
        stops = null;
        prefillDoneNanos = 0;
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }
}
