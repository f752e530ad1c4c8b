package dev.infer4j.tokenizer.pretokenize;

/**
 * GPT-2's byte-to-char mapping: every byte becomes a printable char (printable Latin-1 bytes map to themselves, the
 * others to U+0100 and up), so byte strings can be BPE vocabulary entries.
 */
public final class ByteLevelAlphabet {

    private static final char[] CHAR_OF_BYTE = new char[256];
    private static final short[] BYTE_OF_CHAR = new short[0x144];

    static {
        java.util.Arrays.fill(BYTE_OF_CHAR, (short) -1);
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            CHAR_OF_BYTE[b] = c;
            BYTE_OF_CHAR[c] = (short) b;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The char standing for byte {@code b} (0..255). */
    public static char charOf(int b) {
        return CHAR_OF_BYTE[b & 0xFF];
    }

    /** The byte a char stands for, or -1 when it is not in the alphabet. */
    public static int byteOf(char c) {
        return c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
    }
}
