package dev.infer4j.engine.embed;

/** How an encoder's token states become one vector. */
public enum Pooling {
    MEAN, CLS, LAST_TOKEN
}
