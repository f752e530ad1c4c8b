package dev.infer4j.engine.embed;

/**
 * Per-request embedding options.
 *
 * @param normalize  L2-normalise the vectors (null: the model's default)
 * @param dimensions Matryoshka truncation to this many dimensions, then renormalise (null: full size)
 * @param truncate   cut inputs longer than the model's maximum; when false such an input is an error
 * @param truncateLeft cut from the start instead of the end
 */
public record EmbedOptions(Boolean normalize, Integer dimensions, boolean truncate, boolean truncateLeft) {
    public static final EmbedOptions DEFAULT = new EmbedOptions(null, null, true, false);
}
