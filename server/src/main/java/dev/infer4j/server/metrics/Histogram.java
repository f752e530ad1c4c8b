package dev.infer4j.server.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/** A distribution over fixed upper bounds, per label set (Prometheus cumulative buckets, sum and count). */
public final class Histogram implements Metric {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final double[] bounds;
    private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

    Histogram(String name, String help, double[] bounds, List<String> labelNames) {
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must increase: " + Arrays.toString(bounds));
            }
        }
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        this.labelNames = List.copyOf(labelNames);
    }

    @Override
    public String name() {
        return name;
    }

    public void observe(double value, String... labelValues) {
        Labels.check(labelNames, labelValues);
        Series s = series.computeIfAbsent(List.of(labelValues), k -> new Series(bounds.length));
        int bucket = Arrays.binarySearch(bounds, value);
        if (bucket < 0) {
            bucket = -bucket - 1; // first bound above the value; bounds.length means +Inf only
        }
        s.counts.incrementAndGet(bucket);
        s.sum.add(value);
    }

    /** How many observations a label set has. */
    public long count(String... labelValues) {
        Series s = series.get(List.of(labelValues));
        if (s == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < s.counts.length(); i++) {
            n += s.counts.get(i);
        }
        return n;
    }

    @Override
    public void writeTo(StringBuilder out) {
        Labels.header(out, name, help, "histogram");
        Map<String, Map.Entry<List<String>, Series>> sorted = new TreeMap<>();
        for (var e : series.entrySet()) {
            sorted.put(String.join("\u0000", e.getKey()), e);
        }
        for (var e : sorted.values()) {
            List<String> labels = e.getKey();
            Series s = e.getValue();
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += s.counts.get(i);
                out.append(name).append("_bucket");
                Labels.write(out, labelNames, labels, "le", i < bounds.length ? Labels.number(bounds[i]) : "+Inf");
                out.append(' ').append(cumulative).append('\n');
            }
            out.append(name).append("_sum");
            Labels.write(out, labelNames, labels, null, null);
            out.append(' ').append(Labels.number(s.sum.sum())).append('\n');
            out.append(name).append("_count");
            Labels.write(out, labelNames, labels, null, null);
            out.append(' ').append(cumulative).append('\n');
        }
    }

    private static final class Series {
        final AtomicLongArray counts; // per bucket, not cumulative; the last is above every bound
        final DoubleAdder sum = new DoubleAdder();

        Series(int bounds) {
            counts = new AtomicLongArray(bounds + 1);
        }
    }
}
