package dev.infer4j.tokenizer.decode;

import java.util.ArrayList;
import java.util.List;

/** Removes up to {@code start} leading and {@code stop} trailing {@code content} code points from every token. */
public record StripDecoder(int content, int start, int stop) implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            int[] cps = token.codePoints().toArray();
            int from = 0;
            while (from < Math.min(start, cps.length) && cps[from] == content) {
                from++;
            }
            int to = cps.length;
            for (int i = 0; i < stop && to > 0 && cps[to - 1] == content; i++) {
                to--;
            }
            out.add(to > from ? new String(cps, from, to - from) : "");
        }
        return out;
    }
}
