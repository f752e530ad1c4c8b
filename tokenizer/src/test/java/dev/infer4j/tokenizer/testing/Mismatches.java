package dev.infer4j.tokenizer.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Collects parity mismatches over a corpus and fails at the end with the first few, and the totals. */
public final class Mismatches {

    private final String what;
    private final List<String> examples = new ArrayList<>();
    private int checked;
    private int failed;

    public Mismatches(String what) {
        this.what = what;
    }

    /** Records one compared input. */
    public void check(String input, String aspect, Object expected, Object actual) {
        checked++;
        if (!deepEquals(expected, actual)) {
            failed++;
            if (examples.size() < 8) {
                examples.add(aspect + " for " + escape(input) + describe(expected, actual));
            }
        }
    }

    public int checked() {
        return checked;
    }

    public int failed() {
        return failed;
    }

    /** Fails when anything differed; otherwise reports the count on stdout. */
    public void assertNone() {
        if (failed > 0) {
            fail(what + ": " + failed + " of " + checked + " comparisons differ; first ones:\n" + String.join("\n",
                    examples));
        }
        System.out.println(what + ": " + checked + " comparisons, 0 mismatches");
    }

    /** The differing part: for int arrays, a window around the first difference. */
    private static String describe(Object expected, Object actual) {
        if (expected instanceof int[] e && actual instanceof int[] a) {
            int i = 0;
            while (i < e.length && i < a.length && e[i] == a[i]) {
                i++;
            }
            int from = Math.max(0, i - 3);
            return "\n    first difference at index " + i + " (lengths " + e.length + " / " + a.length + ")"
                    + "\n    expected ..." + Arrays.toString(Arrays.copyOfRange(e, from, Math.min(e.length, i + 6)))
                    + "\n    actual   ..." + Arrays.toString(Arrays.copyOfRange(a, from, Math.min(a.length, i + 6)));
        }
        String e = show(expected);
        String a = show(actual);
        return "\n    expected " + (e.length() > 600 ? e.substring(0, 600) + "..." : e)
                + "\n    actual   " + (a.length() > 600 ? a.substring(0, 600) + "..." : a);
    }

    private static boolean deepEquals(Object a, Object b) {
        return Arrays.deepEquals(new Object[] {a}, new Object[] {b});
    }

    private static String show(Object o) {
        return Arrays.deepToString(new Object[] {o});
    }

    /** The input with non-printable characters escaped, shortened. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length() && sb.length() < 300; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || Character.isSurrogate(c) || c > 0x7E) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(s.length() > 300 ? "...\"" : "\"").toString();
    }
}
