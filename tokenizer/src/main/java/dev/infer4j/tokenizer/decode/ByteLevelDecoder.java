package dev.infer4j.tokenizer.decode;

import dev.infer4j.tokenizer.pretokenize.ByteLevelAlphabet;
import dev.infer4j.tokenizer.text.Utf8;
import java.util.List;

/**
 * Maps byte-level tokens back to bytes and decodes them as UTF-8 (invalid sequences become U+FFFD). A token with a
 * char outside the byte alphabet (an added token) contributes its own UTF-8.
 */
public final class ByteLevelDecoder implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        int capacity = 0;
        for (String t : tokens) {
            capacity += 4 * t.length();
        }
        byte[] bytes = new byte[capacity];
        int n = 0;
        for (String token : tokens) {
            n = appendBytes(token, bytes, n);
        }
        return List.of(Utf8.decodeLossy(bytes, n));
    }

    /** Appends the bytes a token stands for; returns the new length. */
    static int appendBytes(String token, byte[] out, int at) {
        boolean allMapped = true;
        for (int i = 0; i < token.length(); i++) {
            if (ByteLevelAlphabet.byteOf(token.charAt(i)) < 0) {
                allMapped = false;
                break;
            }
        }
        if (allMapped) {
            for (int i = 0; i < token.length(); i++) {
                out[at++] = (byte) ByteLevelAlphabet.byteOf(token.charAt(i));
            }
            return at;
        }
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            i += Character.charCount(cp);
            at += Utf8.encode(cp, out, at);
        }
        return at;
    }
}
