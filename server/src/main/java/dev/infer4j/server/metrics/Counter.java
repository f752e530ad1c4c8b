package dev.infer4j.server.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count per label set. */
public final class Counter implements Metric {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final Map<List<String>, LongAdder> values = new ConcurrentHashMap<>();

    Counter(String name, String help, List<String> labelNames) {
        this.name = name;
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
    }

    @Override
    public String name() {
        return name;
    }

    public void inc(String... labelValues) {
        add(1, labelValues);
    }

    public void add(long amount, String... labelValues) {
        Labels.check(labelNames, labelValues);
        values.computeIfAbsent(List.of(labelValues), k -> new LongAdder()).add(amount);
    }

    /** The current count for a label set (0 when never incremented). */
    public long get(String... labelValues) {
        LongAdder v = values.get(List.of(labelValues));
        return v == null ? 0 : v.sum();
    }

    @Override
    public void writeTo(StringBuilder out) {
        Labels.header(out, name, help, "counter");
        // sorted so that scrapes are stable and readable
        Map<String, Map.Entry<List<String>, LongAdder>> sorted = new TreeMap<>();
        for (var e : values.entrySet()) {
            sorted.put(String.join("\u0000", e.getKey()), e);
        }
        for (var e : sorted.values()) {
            out.append(name);
            Labels.write(out, labelNames, e.getKey(), null, null);
            out.append(' ').append(e.getValue().sum()).append('\n');
        }
    }
}
