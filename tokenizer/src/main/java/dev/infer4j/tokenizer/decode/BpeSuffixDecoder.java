package dev.infer4j.tokenizer.decode;

import java.util.ArrayList;
import java.util.List;

/** Hugging Face's {@code BPEDecoder}: the end-of-word suffix becomes a space (nothing in the last token). */
public record BpeSuffixDecoder(String suffix) implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
        }
        return out;
    }
}
