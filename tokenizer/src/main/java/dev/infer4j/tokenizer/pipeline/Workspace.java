package dev.infer4j.tokenizer.pipeline;

import dev.infer4j.tokenizer.model.TokenBuffer;
import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.PreTokenizedText;

/** Per-thread scratch buffers for encoding, so that encoding a text allocates little beyond its result. */
final class Workspace {

    /** Buffers that grew beyond this many chars are dropped after use, not kept per thread. */
    private static final int KEEP_LIMIT = 1 << 16;

    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

    NormalizedText text = new NormalizedText(256);
    NormalizedText part = new NormalizedText(64);
    TokenBuffer tokens = new TokenBuffer(256);
    PreTokenizedText splits = new PreTokenizedText(text);

    static Workspace get() {
        return LOCAL.get();
    }

    /** Forgets oversized buffers after an encode of a long text. */
    void trim(int inputLength) {
        if (inputLength > KEEP_LIMIT) {
            text = new NormalizedText(256);
            part = new NormalizedText(64);
            tokens = new TokenBuffer(256);
            splits = new PreTokenizedText(text);
        }
    }
}
