package dev.infer4j.tokenizer.text;

/**
 * UTF-8 helpers with Rust's semantics, which Hugging Face relies on: lossy decoding replaces each maximal invalid
 * subpart by one U+FFFD ({@code String::from_utf8_lossy}), and encoding turns lone surrogates into U+FFFD.
 */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * Decodes {@code bytes[from, to)} into {@code out}, one U+FFFD per maximal invalid subpart; returns how many
     * invalid subparts there were.
     */
    public static int decodeLossy(byte[] bytes, int from, int to, StringBuilder out) {
        int invalid = 0;
        int i = from;
        while (i < to) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            int cp;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                cp = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                cp = b0 & 0x0F;
                if (b0 == 0xE0) {
                    lo = 0xA0;
                } else if (b0 == 0xED) {
                    hi = 0x9F;
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                cp = b0 & 0x07;
                if (b0 == 0xF0) {
                    lo = 0x90;
                } else if (b0 == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                out.append('\uFFFD');
                invalid++;
                i++;
                continue;
            }
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                if (j >= to) {
                    ok = false;
                    break;
                }
                int b = bytes[j] & 0xFF;
                if (b < lo || b > hi) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (b & 0x3F);
                lo = 0x80;
                hi = 0xBF;
            }
            if (!ok) {
                out.append('\uFFFD');
                invalid++;
                i = j; // skip the valid prefix of the broken sequence
                continue;
            }
            out.appendCodePoint(cp);
            i = j;
        }
        return invalid;
    }

    /** Lossy decoding of a whole array. */
    public static String decodeLossy(byte[] bytes, int length) {
        StringBuilder sb = new StringBuilder(length);
        decodeLossy(bytes, 0, length, sb);
        return sb.toString();
    }

    /** Whether {@code bytes[from, to)} is valid UTF-8. */
    public static boolean isValid(byte[] bytes, int from, int to) {
        return decodeLossy(bytes, from, to, new StringBuilder(to - from)) == 0;
    }

    /** Number of UTF-8 bytes of a code point. */
    public static int length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    /** Writes the UTF-8 bytes of {@code cp} (U+FFFD for a surrogate) at {@code at}; returns the count. */
    public static int encode(int cp, byte[] out, int at) {
        if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
            cp = 0xFFFD;
        }
        if (cp < 0x80) {
            out[at] = (byte) cp;
            return 1;
        } else if (cp < 0x800) {
            out[at] = (byte) (0xC0 | (cp >> 6));
            out[at + 1] = (byte) (0x80 | (cp & 0x3F));
            return 2;
        } else if (cp < 0x10000) {
            out[at] = (byte) (0xE0 | (cp >> 12));
            out[at + 1] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[at + 2] = (byte) (0x80 | (cp & 0x3F));
            return 3;
        } else {
            out[at] = (byte) (0xF0 | (cp >> 18));
            out[at + 1] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            out[at + 2] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[at + 3] = (byte) (0x80 | (cp & 0x3F));
            return 4;
        }
    }
}
