package dev.infer4j.models.bert;

/** How a sentence-embedding model turns token states into one vector (sentence-transformers' Pooling module). */
public enum PoolingMode {
    /** Mean of the non-padding token states. */
    MEAN,
    /** The first token's state ({@code [CLS]}). */
    CLS,
    /** The last non-padding token's state. */
    LAST_TOKEN
}
