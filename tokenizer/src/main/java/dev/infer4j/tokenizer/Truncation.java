package dev.infer4j.tokenizer;

/**
 * How encode shortens inputs longer than {@code maxLength} tokens (special tokens included), as Hugging Face's
 * {@code TruncationParams}.
 *
 * @param maxLength the most tokens an encoding may have, special tokens included; at least 1
 * @param strategy  which sequence of a pair loses tokens
 * @param direction which end of a sequence loses tokens
 * @param stride    tokens repeated from the previous piece at the start of each overflowing piece
 */
public record Truncation(int maxLength, Strategy strategy, Direction direction, int stride) {

    /** Which sequence of a pair is shortened. */
    public enum Strategy {
        /** Remove tokens one at a time from the longer sequence. */
        LONGEST_FIRST,
        /** Shorten only the first sequence. */
        ONLY_FIRST,
        /** Shorten only the second sequence. */
        ONLY_SECOND
    }

    /** Which end of a sequence is cut. */
    public enum Direction { LEFT, RIGHT }

    public Truncation {
        if (maxLength < 1) {
            throw new IllegalArgumentException("truncation maxLength must be at least 1, got " + maxLength);
        }
        if (stride < 0 || stride >= maxLength) {
            throw new IllegalArgumentException("truncation stride must be in [0, maxLength), got " + stride);
        }
        if (strategy == null || direction == null) {
            throw new IllegalArgumentException("truncation strategy and direction are required");
        }
    }

    /** Longest-first, cutting on the right, no stride. */
    public static Truncation of(int maxLength) {
        return new Truncation(maxLength, Strategy.LONGEST_FIRST, Direction.RIGHT, 0);
    }
}
