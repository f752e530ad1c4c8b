package dev.infer4j.tokenizer.decode;

import dev.infer4j.tokenizer.text.Utf8;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns runs of byte tokens ({@code <0x41>}) into the text they encode; a run that is not valid UTF-8 becomes one
 * U+FFFD per byte, as Hugging Face's {@code ByteFallback}.
 */
public final class ByteFallbackDecoder implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        byte[] run = new byte[tokens.size()];
        int n = 0;
        for (String token : tokens) {
            int b = byteValue(token);
            if (b >= 0) {
                run[n++] = (byte) b;
                continue;
            }
            flush(run, n, out);
            n = 0;
            out.add(token);
        }
        flush(run, n, out);
        return out;
    }

    /** The byte of a {@code <0xHH>} token, or -1. */
    public static int byteValue(String token) {
        if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') {
            return -1;
        }
        int hi = Character.digit(token.charAt(3), 16);
        int lo = Character.digit(token.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    private static void flush(byte[] run, int n, List<String> out) {
        if (n == 0) {
            return;
        }
        if (Utf8.isValid(run, 0, n)) {
            out.add(Utf8.decodeLossy(run, n));
        } else {
            for (int i = 0; i < n; i++) {
                out.add("\uFFFD");
            }
        }
    }
}
