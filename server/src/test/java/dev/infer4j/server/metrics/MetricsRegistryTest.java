package dev.infer4j.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus text exposition format, checked line by line. */
class MetricsRegistryTest {

    @Test
    void countersGaugesAndHistogramsRenderInTheTextFormat() {
        MetricsRegistry r = new MetricsRegistry();
        Counter c = r.counter("requests_total", "Requests.", "route", "status");
        Histogram h = r.histogram("latency_seconds", "Latency.", new double[] {0.1, 1}, "route");
        r.gauge("queue", "Queue.", () -> 3);
        r.gauge("per_model", "Per model.", List.of("model"), () -> Map.of(List.of("b"), 2.5, List.of("a"), 1.0));
        c.inc("/b", "200");
        c.add(2, "/a", "500");
        c.inc("/a", "500");
        h.observe(0.1, "/a"); // on a bound: counts in that bucket (le is inclusive)
        h.observe(0.5, "/a");
        h.observe(7, "/a");
        assertEquals("""
                # HELP requests_total Requests.
                # TYPE requests_total counter
                requests_total{route="/a",status="500"} 3
                requests_total{route="/b",status="200"} 1
                # HELP latency_seconds Latency.
                # TYPE latency_seconds histogram
                latency_seconds_bucket{route="/a",le="0.1"} 1
                latency_seconds_bucket{route="/a",le="1"} 2
                latency_seconds_bucket{route="/a",le="+Inf"} 3
                latency_seconds_sum{route="/a"} 7.6
                latency_seconds_count{route="/a"} 3
                # HELP queue Queue.
                # TYPE queue gauge
                queue 3
                # HELP per_model Per model.
                # TYPE per_model gauge
                per_model{model="a"} 1
                per_model{model="b"} 2.5
                """, r.scrape());
        assertEquals(3, c.get("/a", "500"));
        assertEquals(3, h.count("/a"));
    }

    @Test
    void labelValuesAreEscaped() {
        MetricsRegistry r = new MetricsRegistry();
        r.counter("c_total", "C.", "path").inc("a\"b\\c\nd");
        assertEquals("c_total{path=\"a\\\"b\\\\c\\nd\"} 1", r.scrape().lines().toList().get(2));
    }

    @Test
    void misuseIsRefused() {
        MetricsRegistry r = new MetricsRegistry();
        Counter c = r.counter("x_total", "X.", "a");
        assertThrows(IllegalArgumentException.class, () -> c.inc("1", "2"));
        assertThrows(IllegalArgumentException.class, () -> r.counter("x_total", "again"));
        assertThrows(IllegalArgumentException.class, () -> r.counter("bad-name", "B."));
        assertThrows(IllegalArgumentException.class, () -> r.histogram("h", "H.", new double[] {1, 1}));
    }
}
