package dev.infer4j.tokenizer.decode;

import java.util.List;

/** Joins all tokens into one. */
public final class FuseDecoder implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        return List.of(String.join("", tokens));
    }
}
