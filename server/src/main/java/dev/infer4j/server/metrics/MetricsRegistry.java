package dev.infer4j.server.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/** The metrics of one server, rendered in the Prometheus text format on each scrape. */
public final class MetricsRegistry {
    private final List<Metric> metrics = new ArrayList<>();

    public synchronized Counter counter(String name, String help, String... labelNames) {
        return register(new Counter(name, help, List.of(labelNames)));
    }

    public synchronized Histogram histogram(String name, String help, double[] bounds, String... labelNames) {
        return register(new Histogram(name, help, bounds, List.of(labelNames)));
    }

    /** A gauge without labels. */
    public synchronized Gauge gauge(String name, String help, DoubleSupplier value) {
        return register(new Gauge(name, help, List.of(), () -> Map.of(List.of(), value.getAsDouble())));
    }

    /** A gauge whose label sets and values are all read at scrape time. */
    public synchronized Gauge gauge(String name, String help, List<String> labelNames,
            Supplier<Map<List<String>, Double>> samples) {
        return register(new Gauge(name, help, List.copyOf(labelNames), samples));
    }

    private <M extends Metric> M register(M metric) {
        if (!metric.name().matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + metric.name());
        }
        for (Metric m : metrics) {
            if (m.name().equals(metric.name())) {
                throw new IllegalArgumentException("metric " + metric.name() + " is registered twice");
            }
        }
        metrics.add(metric);
        return metric;
    }

    /** The text exposition format, version 0.0.4. */
    public synchronized String scrape() {
        StringBuilder out = new StringBuilder(4096);
        for (Metric m : metrics) {
            m.writeTo(out);
        }
        return out.toString();
    }
}
