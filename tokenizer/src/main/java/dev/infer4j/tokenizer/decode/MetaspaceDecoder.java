package dev.infer4j.tokenizer.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the metaspace ({@code ▁}) back into spaces; in the first token, when a prefix space was prepended at
 * encoding, every metaspace is dropped (as Hugging Face does, not only the leading one).
 */
public record MetaspaceDecoder(int replacement, boolean prependsSpace) implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            StringBuilder sb = new StringBuilder(token.length());
            for (int k = 0; k < token.length(); ) {
                int cp = token.codePointAt(k);
                k += Character.charCount(cp);
                if (cp == replacement) {
                    if (!(i == 0 && prependsSpace)) {
                        sb.append(' ');
                    }
                } else {
                    sb.appendCodePoint(cp);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
