package dev.infer4j.engine.generate;

import dev.infer4j.models.llama.ForwardBatch;
import dev.infer4j.tokenizer.StreamingDecoder;
import java.util.Arrays;

/**
 * One sequence of a {@link Generator}: it owns a KV-cache slot and remembers which tokens the slot holds, so
 * that a new prompt that starts with them (the next turn of a chat, the same system prompt) only processes
 * what is new. Buffers (logits, sampler, batch) are allocated once per session; the decode loop allocates
 * nothing but the text it returns. Not thread-safe: one generation at a time per session.
 */
public final class Session implements AutoCloseable {
    private final Generator generator;
    private final int slot;
    private final int[] cachedTokens;
    private final int[] generated;
    private final float[] logits;
    private final ForwardBatch batch;
    private Sampler sampler;
    private int cached;
    private boolean closed;

    Session(Generator generator, int slot) {
        this.generator = generator;
        this.slot = slot;
        this.cachedTokens = new int[generator.contextLength()];
        this.generated = new int[generator.contextLength()];
        this.logits = new float[generator.vocabSize()];
        this.batch = generator.newBatch();
    }

    /** Tokens whose keys and values the session's cache slot holds. */
    public int cachedTokens() {
        return cached;
    }

    /** Forgets the cached context. */
    public void reset() {
        cached = 0;
    }

    /** Tokenizes {@code prompt} (start token added as the vocabulary asks) and generates from it. */
    public GenerationResult generate(String prompt, GenerationOptions options, GenerationListener listener) {
        return generate(generator.tokenizer().encode(prompt, true).ids(), options, listener);
    }

    /** Generates from prompt token ids. */
    public GenerationResult generate(int[] prompt, GenerationOptions options, GenerationListener listener) {
        return generate(prompt, options, listener, generator.endTokens());
    }

    GenerationResult generate(int[] prompt, GenerationOptions options, GenerationListener listener, int[] endTokens) {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        int capacity = cachedTokens.length;
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt has no tokens");
        }
        if (prompt.length >= capacity) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; the context holds "
                    + capacity + " (including the generated tokens)");
        }
        for (int id : prompt) {
            if (id < 0 || id >= logits.length) {
                throw new IllegalArgumentException("prompt token " + id + " is outside the vocabulary of " + logits.length);
            }
        }
        if (sampler == null) {
            sampler = new Sampler(logits.length, options.sampling());
        } else {
            sampler.reset(options.sampling());
        }
        long t0 = System.nanoTime();
        int reused = prefill(prompt);
        long t1 = System.nanoTime();

        StreamingDecoder decoder = generator.tokenizer().streamingDecoder(true);
        // the text continues the prompt: prime the decoder with the prompt's last token (output discarded) so that
        // the first generated token keeps its leading space, as llama.cpp prints it
        decoder.push(prompt[prompt.length - 1]);
        StopStrings stops = new StopStrings(options.stop());
        StringBuilder text = new StringBuilder();
        FinishReason finish = FinishReason.MAX_TOKENS;
        int count = 0;
        while (true) {
            int token = sampler.sample(logits, cachedTokens, cached);
            if (!options.ignoreEos() && contains(endTokens, token)) {
                finish = FinishReason.END_OF_SEQUENCE;
                break;
            }
            generated[count++] = token;
            listener.onToken(token);
            emit(stops.push(decoder.push(token)), text, listener);
            if (stops.stopped()) {
                finish = FinishReason.STOP_STRING;
                break;
            }
            if (count == options.maxTokens()) {
                break;
            }
            if (cached == capacity) {
                finish = FinishReason.CONTEXT_FULL;
                break;
            }
            batch.clear();
            int row = batch.addToken(slot, cached, token);
            generator.forward(batch, row, logits);
            cachedTokens[cached++] = token;
        }
        if (!stops.stopped()) {
            emit(stops.push(decoder.flush()), text, listener);
            emit(stops.flush(), text, listener);
        }
        long t2 = System.nanoTime();
        return new GenerationResult(text.toString(), Arrays.copyOf(generated, count), prompt.length, reused, finish,
                t1 - t0, t2 - t1);
    }

    /** Brings the cache to hold exactly {@code prompt} and leaves the last position's logits; returns the tokens reused. */
    private int prefill(int[] prompt) {
        int common = 0;
        while (common < cached && common < prompt.length && cachedTokens[common] == prompt[common]) {
            common++;
        }
        // the last prompt token is always run again: its logits are needed
        int reused = Math.min(common, prompt.length - 1);
        cached = reused;
        int chunk = batch.maxRows();
        for (int from = reused; from < prompt.length; from += chunk) {
            int n = Math.min(chunk, prompt.length - from);
            boolean last = from + n == prompt.length;
            batch.clear();
            int row = batch.add(slot, from, prompt, from, n, last ? ForwardBatch.Logits.LAST : ForwardBatch.Logits.NONE);
            generator.forward(batch, row, logits);
            System.arraycopy(prompt, from, cachedTokens, from, n);
            cached = from + n;
        }
        return reused;
    }

    private static void emit(String piece, StringBuilder text, GenerationListener listener) {
        if (!piece.isEmpty()) {
            text.append(piece);
            listener.onText(piece);
        }
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }

    /** Gives the cache slot back to the generator. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            generator.release(slot);
        }
    }
}
