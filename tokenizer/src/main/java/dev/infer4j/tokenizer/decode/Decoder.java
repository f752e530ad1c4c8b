package dev.infer4j.tokenizer.decode;

import java.util.List;

/**
 * Turns token strings back into text (Hugging Face's {@code decoder}). Like the reference, a decoder maps the list of
 * tokens to a new list ({@link #decodeChain}) so decoders can be chained; the text is the concatenation.
 * Implementations are immutable and thread-safe.
 */
public interface Decoder {

    List<String> decodeChain(List<String> tokens);

    default String decode(List<String> tokens) {
        return String.join("", decodeChain(tokens));
    }
}
