package dev.infer4j.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {

    private static String run(StopStrings s, String... pieces) {
        StringBuilder out = new StringBuilder();
        for (String p : pieces) {
            out.append(s.push(p));
            if (s.stopped()) {
                break;
            }
        }
        return out.append(s.flush()).toString();
    }

    @Test
    void stopStringSplitAcrossTokensIsFoundAndNotShown() {
        StopStrings s = new StopStrings(List.of("\nUser:"));
        assertEquals("Hello", s.push("Hello"));
        assertEquals("", s.push("\nUs"), "could be the start of the stop string: held back");
        assertEquals("", s.push("er:"));
        assertTrue(s.stopped());
        assertEquals("", s.push("more"));
        assertEquals("", s.flush());
    }

    @Test
    void heldBackTextIsReleasedWhenItTurnsOutNotToBeAStop() {
        StopStrings s = new StopStrings(List.of("</end>"));
        assertEquals("a", s.push("a</"));
        assertEquals("</x", s.push("x"));
        assertFalse(s.stopped());
        assertEquals("b", s.push("b<"));
        assertEquals("<", s.flush(), "the end of generation releases what was held");
    }

    @Test
    void textBeforeTheStopInTheSameTokenIsKept() {
        assertEquals("The end", run(new StopStrings(List.of("STOP")), "The end", "STOP and more"));
        assertEquals("ab", run(new StopStrings(List.of("c")), "abcd"));
    }

    @Test
    void theEarliestOfSeveralStopsWins() {
        assertEquals("x", run(new StopStrings(List.of("world", "o w")), "xo", " world"));
        assertEquals("one two ", run(new StopStrings(List.of("three", "ee")), "one two", " thr", "ee"));
    }

    @Test
    void noStopsPassesEverythingThrough() {
        StopStrings s = new StopStrings(List.of());
        assertEquals("abc", s.push("abc"));
        assertEquals("", s.flush());
        assertThrows(IllegalArgumentException.class, () -> new StopStrings(List.of("")));
    }
}
