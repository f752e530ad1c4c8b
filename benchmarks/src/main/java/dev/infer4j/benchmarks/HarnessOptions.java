package dev.infer4j.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** Command-line options of the end-to-end harnesses: {@code --name value} pairs, in order. */
public final class HarnessOptions {
    private HarnessOptions() {
    }

    public static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }
}
