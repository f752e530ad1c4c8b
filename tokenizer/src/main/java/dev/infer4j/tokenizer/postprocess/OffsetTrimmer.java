package dev.infer4j.tokenizer.postprocess;

import dev.infer4j.tokenizer.text.UnicodeClasses;
import java.util.function.IntFunction;

/**
 * Hugging Face's byte-level offset trimming ({@code process_offsets}): moves token offsets past the leading and
 * trailing spaces ({@code Ġ}) a byte-level token carries, except the single prefix space added to the first word.
 */
final class OffsetTrimmer {

    private static final char SPACE = '\u0120'; // the byte-level image of ' '

    private OffsetTrimmer() {
    }

    static void trim(TokenSequence seq, boolean addPrefixSpace, IntFunction<String> tokenOf) {
        for (int i = 0; i < seq.size(); i++) {
            String token = tokenOf.apply(seq.id(i));
            if (token == null || token.isEmpty()) {
                continue;
            }
            int leading = 0;
            while (leading < token.length() && isSpace(token.charAt(leading))) {
                leading++;
            }
            int trailing = 0;
            while (trailing < token.length() && isSpace(token.charAt(token.length() - 1 - trailing))) {
                trailing++;
            }
            if (leading == 0 && trailing == 0) {
                continue;
            }
            int start = seq.start(i);
            int end = seq.end(i);
            if (leading > 0) {
                boolean first = i == 0 || start == 0;
                if (first && addPrefixSpace && leading == 1) {
                    leading = 0;
                }
                start = Math.min(start + leading, end);
            }
            if (trailing > 0 && end >= trailing) {
                end = Math.max(end - trailing, start);
            }
            seq.setOffsets(i, start, end);
        }
        for (TokenSequence piece : seq.overflowing()) {
            trim(piece, addPrefixSpace, tokenOf);
        }
    }

    private static boolean isSpace(char c) {
        return c == SPACE || UnicodeClasses.isWhitespace(c);
    }
}
