package dev.infer4j.engine.generate;

/** Why a generation ended. */
public enum FinishReason {
    /** The model produced an end-of-sequence or end-of-turn token (not part of the output). */
    END_OF_SEQUENCE,
    /** A stop string appeared (not part of the output). */
    STOP_STRING,
    /** The token limit was reached. */
    MAX_TOKENS,
    /** The context (KV-cache slot) is full. */
    CONTEXT_FULL
}
