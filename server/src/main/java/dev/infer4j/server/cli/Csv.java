package dev.infer4j.server.cli;

/** CSV fields (RFC 4180): quoted when they hold a comma, quote or line break. */
final class Csv {
    private Csv() {
    }

    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
