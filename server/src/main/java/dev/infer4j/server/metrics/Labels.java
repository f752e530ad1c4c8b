package dev.infer4j.server.metrics;

import java.util.List;

/** Label names and values of metric samples, rendered as {@code {a="x",b="y"}}. */
final class Labels {
    private Labels() {
    }

    static void check(List<String> names, String[] values) {
        if (values.length != names.size()) {
            throw new IllegalArgumentException("expected label values for " + names + ", got " + values.length);
        }
    }

    /** Writes {@code {n1="v1",…}} plus an optional extra label (e.g. {@code le}); nothing when there are none. */
    static void write(StringBuilder out, List<String> names, List<String> values, String extraName,
            String extraValue) {
        if (names.isEmpty() && extraName == null) {
            return;
        }
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendPair(out, names.get(i), values.get(i));
        }
        if (extraName != null) {
            if (!names.isEmpty()) {
                out.append(',');
            }
            appendPair(out, extraName, extraValue);
        }
        out.append('}');
    }

    private static void appendPair(StringBuilder out, String name, String value) {
        out.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append('"');
    }

    static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Prometheus renders integers without a fraction and non-finite values by name. */
    static String number(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(v);
    }
}
