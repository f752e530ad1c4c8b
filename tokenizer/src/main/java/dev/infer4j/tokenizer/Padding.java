package dev.infer4j.tokenizer;

/**
 * How encode pads encodings, as Hugging Face's {@code PaddingParams}.
 *
 * @param fixedLength     pad every encoding to this length; 0 pads a batch to its longest encoding instead
 * @param direction       which side gets the padding
 * @param padToMultipleOf round the padded length up to a multiple of this; 0 or 1 for none
 * @param padId           id of the padding token
 * @param padTypeId       type id given to padding positions
 * @param padToken        the padding token's string
 */
public record Padding(int fixedLength, Direction direction, int padToMultipleOf, int padId, int padTypeId,
                      String padToken) {

    /** Which side of the encoding gets padding. */
    public enum Direction { LEFT, RIGHT }

    public Padding {
        if (fixedLength < 0 || padToMultipleOf < 0 || padId < 0 || padTypeId < 0) {
            throw new IllegalArgumentException("padding lengths and ids must not be negative: fixedLength="
                    + fixedLength + " padToMultipleOf=" + padToMultipleOf + " padId=" + padId + " padTypeId="
                    + padTypeId);
        }
        if (direction == null || padToken == null) {
            throw new IllegalArgumentException("padding direction and padToken are required");
        }
    }

    /** Pads each batch on the right to its longest encoding. */
    public static Padding batchLongest(int padId, String padToken) {
        return new Padding(0, Direction.RIGHT, 0, padId, 0, padToken);
    }

    /** Pads every encoding on the right to {@code length}. */
    public static Padding fixed(int length, int padId, String padToken) {
        if (length < 1) {
            throw new IllegalArgumentException("fixed padding length must be at least 1, got " + length);
        }
        return new Padding(length, Direction.RIGHT, 0, padId, 0, padToken);
    }

    /** Whether this pads to the longest encoding of a batch rather than to a fixed length. */
    public boolean isBatchLongest() {
        return fixedLength == 0;
    }
}
