package dev.infer4j.tokenizer.pretokenize;

import dev.infer4j.tokenizer.text.PreTokenizedText;
import java.util.Arrays;

/**
 * What happens to the delimiters a pre-tokenizer finds (Hugging Face's {@code SplitDelimiterBehavior}); for
 * {@code "the-final--countdown"} split on {@code '-'}:
 * REMOVED {@code the|final|countdown}, ISOLATED {@code the|-|final|-|-|countdown},
 * MERGED_WITH_PREVIOUS {@code the-|final-|-|countdown}, MERGED_WITH_NEXT {@code the|-final|-|-countdown},
 * CONTIGUOUS {@code the|-|final|--|countdown}.
 */
public enum SplitBehavior {
    REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS;

    /** Collects the matches inside one split, then reports the pieces this behavior makes of them. */
    public static final class Pieces {
        private int[] bounds = new int[32]; // start, end pairs of matches, in order
        private int count;

        public void clear() {
            count = 0;
        }

        /** Adds a match {@code [start, end)}; matches must come in order and not overlap. */
        public void match(int start, int end) {
            if (2 * count + 2 > bounds.length) {
                bounds = Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[2 * count] = start;
            bounds[2 * count + 1] = end;
            count++;
        }

        /**
         * Reports the pieces of {@code [start, end)}: the matches and the gaps between them, combined as
         * {@code behavior} says. With {@code invert}, gaps play the role of matches.
         */
        public void emit(int start, int end, SplitBehavior behavior, boolean invert, PreTokenizedText.SplitSink out) {
            // walk the alternating sequence of gaps and matches
            int pieceStart = -1; // start of a piece being accumulated (merge behaviors)
            boolean previousMatch = false;
            int at = start;
            int m = 0;
            int pendingStart = -1;
            int pendingEnd = -1;
            while (at < end || m < count) {
                int s;
                int e;
                boolean isMatch;
                if (m < count && bounds[2 * m] == at) {
                    s = bounds[2 * m];
                    e = bounds[2 * m + 1];
                    isMatch = true;
                    m++;
                    if (e == s) {
                        // an empty match still separates pieces
                        if (at >= end) {
                            break;
                        }
                    }
                } else {
                    s = at;
                    e = m < count ? bounds[2 * m] : end;
                    isMatch = false;
                }
                if (invert) {
                    isMatch = !isMatch;
                }
                switch (behavior) {
                    case REMOVED -> {
                        if (!isMatch) {
                            out.add(s, e);
                        }
                    }
                    case ISOLATED -> out.add(s, e);
                    case CONTIGUOUS -> {
                        if (pendingStart >= 0 && isMatch == previousMatch) {
                            pendingEnd = e;
                        } else {
                            if (pendingStart >= 0) {
                                out.add(pendingStart, pendingEnd);
                            }
                            pendingStart = s;
                            pendingEnd = e;
                        }
                    }
                    case MERGED_WITH_PREVIOUS -> {
                        if (isMatch && !previousMatch && pendingStart >= 0) {
                            pendingEnd = e;
                        } else {
                            if (pendingStart >= 0) {
                                out.add(pendingStart, pendingEnd);
                            }
                            pendingStart = s;
                            pendingEnd = e;
                        }
                    }
                    case MERGED_WITH_NEXT -> {
                        if (previousMatch && !isMatch && pendingStart >= 0) {
                            pendingEnd = e; // a match followed by text: the match joins that text
                        } else {
                            if (pendingStart >= 0) {
                                out.add(pendingStart, pendingEnd);
                            }
                            pendingStart = s;
                            pendingEnd = e;
                        }
                    }
                }
                previousMatch = isMatch;
                at = e;
                if (pieceStart < 0) {
                    pieceStart = s;
                }
            }
            if (pendingStart >= 0) {
                out.add(pendingStart, pendingEnd);
            }
        }
    }
}
