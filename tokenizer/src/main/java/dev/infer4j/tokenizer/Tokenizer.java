package dev.infer4j.tokenizer;

import java.util.List;

/**
 * Turns text into token ids and back, exactly as the Hugging Face tokenizer (or the GGUF vocabulary) it was
 * loaded from does.
 *
 * <p>Instances are immutable and thread-safe. Obtain one from {@link Tokenizers}; derive variants with other
 * truncation or padding with {@link #withTruncation}, {@link #withoutTruncation}, {@link #withPadding} and
 * {@link #withoutPadding}.
 *
 * <p>Offsets in {@link Encoding} are UTF-16 {@code char} indices into the input string ({@code String.substring}
 * ranges). Added tokens (special tokens such as {@code [CLS]} or {@code <|im_start|>}) written in the input text are
 * recognised as such, as Hugging Face does.
 */
public interface Tokenizer {

    /**
     * Encodes one text. {@code addSpecialTokens} applies the post-processor (e.g. {@code [CLS] ... [SEP]}, or the
     * BOS token of a GGUF vocabulary whose {@code add_bos_token} is set); truncation and padding apply as configured.
     */
    Encoding encode(String text, boolean addSpecialTokens);

    /**
     * Encodes a pair of texts (e.g. query and document for a cross-encoder): type ids 0 for the first, 1 for the
     * second.
     */
    Encoding encodePair(String first, String second, boolean addSpecialTokens);

    /**
     * Encodes many texts using all available cores. With batch-longest padding, every encoding is padded to the
     * longest one in the batch. The result is in input order.
     */
    List<Encoding> encodeBatch(List<String> texts, boolean addSpecialTokens);

    /** Encodes many pairs ({@code firsts.get(i)}, {@code seconds.get(i)}) using all available cores. */
    List<Encoding> encodePairBatch(List<String> firsts, List<String> seconds, boolean addSpecialTokens);

    /** Turns ids back into text with the tokenizer's decoder; ids outside the vocabulary are skipped. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /**
     * A decoder for generation: push ids one at a time and get text as soon as it is complete (UTF-8 sequences
     * split over byte tokens are held back until whole). Each call returns a fresh, independent decoder.
     */
    StreamingDecoder streamingDecoder(boolean skipSpecialTokens);

    /** Number of ids, added tokens included (the largest id + 1). */
    int vocabSize();

    /** The id of a token string as it appears in the vocabulary (e.g. {@code "##ing"}, {@code "Ġthe"}), or -1. */
    int tokenToId(String token);

    /** The vocabulary string of an id, or {@code null} when the id is out of range. */
    String idToToken(int id);

    /** Whether {@code id} is a special token (skipped by {@code decode(ids, true)}). */
    boolean isSpecial(int id);

    /** Ids of the well-known special tokens, where the vocabulary defines them. */
    SpecialTokens specialTokens();

    /** The truncation applied by encode, or {@code null} when there is none. */
    Truncation truncation();

    /** The padding applied by encode, or {@code null} when there is none. */
    Padding padding();

    /** A copy of this tokenizer that truncates as given. */
    Tokenizer withTruncation(Truncation truncation);

    /** A copy of this tokenizer that does not truncate. */
    Tokenizer withoutTruncation();

    /** A copy of this tokenizer that pads as given. */
    Tokenizer withPadding(Padding padding);

    /** A copy of this tokenizer that does not pad. */
    Tokenizer withoutPadding();
}
