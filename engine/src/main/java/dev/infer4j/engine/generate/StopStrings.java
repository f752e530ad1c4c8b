package dev.infer4j.engine.generate;

import java.util.List;

/**
 * Finds stop strings in streamed text that arrives in pieces (one per token), so that a stop string split
 * over several tokens is still found and never shown. Text that could still be the start of a stop string
 * is held back until the next piece decides; the stop string itself and everything after it are dropped.
 */
public final class StopStrings {
    private final String[] stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    public StopStrings(List<String> stops) {
        for (String s : stops) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
        this.stops = stops.toArray(String[]::new);
    }

    /** True once a stop string was seen. */
    public boolean stopped() {
        return stopped;
    }

    /** Adds a piece of generated text and returns the part that is now safe to show (possibly empty). */
    public String push(String piece) {
        if (stopped) {
            return "";
        }
        if (stops.length == 0) {
            return piece;
        }
        pending.append(piece);
        int cut = earliestStop();
        if (cut >= 0) {
            stopped = true;
            String out = pending.substring(0, cut);
            pending.setLength(0);
            return out;
        }
        int keep = longestPrefixSuffix();
        String out = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return out;
    }

    /** At the end of generation: what is still held back (it was not a stop string after all). */
    public String flush() {
        String out = stopped ? "" : pending.toString();
        pending.setLength(0);
        return out;
    }

    private int earliestStop() {
        int best = -1;
        for (String s : stops) {
            int at = pending.indexOf(s);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** Length of the longest end of {@code pending} that begins some stop string. */
    private int longestPrefixSuffix() {
        int best = 0;
        int n = pending.length();
        for (String s : stops) {
            for (int len = Math.min(s.length() - 1, n); len > best; len--) {
                if (matchesAt(n - len, s, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    private boolean matchesAt(int from, String s, int len) {
        for (int i = 0; i < len; i++) {
            if (pending.charAt(from + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
