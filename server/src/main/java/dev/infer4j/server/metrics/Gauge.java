package dev.infer4j.server.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Values read at scrape time (queue lengths, models ready), one per label set. */
public record Gauge(String name, String help, List<String> labelNames, Supplier<Map<List<String>, Double>> samples)
        implements Metric {

    @Override
    public void writeTo(StringBuilder out) {
        Labels.header(out, name, help, "gauge");
        Map<String, Map.Entry<List<String>, Double>> sorted = new TreeMap<>();
        for (var e : samples.get().entrySet()) {
            sorted.put(String.join("\u0000", e.getKey()), e);
        }
        for (var e : sorted.values()) {
            out.append(name);
            Labels.write(out, labelNames, e.getKey(), null, null);
            out.append(' ').append(Labels.number(e.getValue())).append('\n');
        }
    }
}
