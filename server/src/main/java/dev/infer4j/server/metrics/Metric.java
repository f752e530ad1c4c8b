package dev.infer4j.server.metrics;

/** One metric family in the Prometheus text exposition format. */
public sealed interface Metric permits Counter, Gauge, Histogram {

    String name();

    /** Appends the family: {@code # HELP}, {@code # TYPE} and its samples. */
    void writeTo(StringBuilder out);
}
