package dev.infer4j.server.model;

import dev.infer4j.engine.generate.GeneratorOptions;
import dev.infer4j.models.llama.LlamaConfig;

/**
 * The KV cache a generator gets, decided before it is allocated: {@code slots × context} positions of
 * {@code bytesPerPosition} each. With a budget the context shrinks to fit it (or loading fails naming the numbers
 * when an explicit context does not fit), so that requests never run the process out of memory: the whole cache
 * exists from the start, and a request that would not fit its slot is refused with a 400 before any work.
 *
 * @param context          positions per slot
 * @param slots            sequence slots
 * @param bytesPerPosition keys and values of one position over all layers (F32)
 */
public record KvCachePlan(int context, int slots, long bytesPerPosition) {
    /** Smallest context worth serving: a prompt and a few tokens. */
    static final int MIN_CONTEXT = 16;

    public long bytes() {
        return (long) context * slots * bytesPerPosition;
    }

    /** Bytes of one position of the cache: keys and values of every layer, F32 as the engine keeps them. */
    public static long bytesPerPosition(LlamaConfig config) {
        return 2L * config.layers() * config.kvDim() * Float.BYTES;
    }

    /**
     * @param config   the model's hyper-parameters
     * @param settings parallel slots, requested context (0 = the model's), budget (0 = none)
     * @throws IllegalArgumentException naming the numbers when the budget cannot hold what is asked
     */
    public static KvCachePlan of(LlamaConfig config, GeneratorSettings settings) {
        long perPosition = bytesPerPosition(config);
        int slots = settings.parallel();
        int context = settings.contextSize() > 0 ? settings.contextSize()
                : Math.min(config.contextLength(), GeneratorOptions.DEFAULT_MAX_CONTEXT);
        long budget = settings.kvCacheBytes();
        if (budget > 0) {
            long fits = budget / (perPosition * slots);
            if (settings.contextSize() > 0 && fits < context) {
                throw new IllegalArgumentException("--kv-cache-size " + budget + " bytes holds " + fits
                        + " positions per slot, but --parallel " + slots + " x --ctx-size " + context + " need "
                        + (long) context * slots * perPosition + " bytes (" + perPosition + " per position)");
            }
            if (fits < MIN_CONTEXT) {
                throw new IllegalArgumentException("--kv-cache-size " + budget + " bytes holds only " + fits
                        + " positions per slot for --parallel " + slots + " (" + perPosition
                        + " bytes per position); give at least " + MIN_CONTEXT * slots * perPosition + " bytes");
            }
            context = (int) Math.min(context, fits);
        }
        return new KvCachePlan(context, slots, perPosition);
    }
}
