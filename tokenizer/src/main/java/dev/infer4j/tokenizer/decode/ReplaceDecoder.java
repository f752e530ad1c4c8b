package dev.infer4j.tokenizer.decode;

import dev.infer4j.tokenizer.text.Pattern;
import java.util.ArrayList;
import java.util.List;

/** Replaces every match of a pattern by {@code content} in each token. */
public record ReplaceDecoder(Pattern pattern, String content) implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            out.add(pattern.replaceAll(token, content));
        }
        return out;
    }
}
