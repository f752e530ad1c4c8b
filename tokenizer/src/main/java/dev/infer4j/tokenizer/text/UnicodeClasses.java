package dev.infer4j.tokenizer.text;

/**
 * Unicode character classes as Hugging Face tokenizers computes them.
 *
 * <p>HF's BERT components and {@code StripAccents} take general categories from the Rust crate
 * {@code unicode_categories} 0.1, whose tables are Unicode 8.0: a punctuation, format or non-spacing-mark character
 * added later (e.g. U+2E43, U+0890, U+1DF6) is none of those to HF. We use the JDK's current categories minus the
 * code points of those categories assigned after Unicode 8.0 ({@link #ADDED_AFTER_UNICODE_8}; checked against ICU's
 * character ages in the tests) and with the seven categories that changed since then restored
 * ({@link #unicode8Type}). An exhaustive test over every code point checks the result against Hugging Face.
 * Whitespace and case mapping use Rust's standard library, which is current.
 */
public final class UnicodeClasses {

    private UnicodeClasses() {
    }

    /**
     * Inclusive ranges of code points that today are Cc, Cf, Co, Cs, P* or Mn and were assigned after Unicode 8.0.
     */
    static final int[] ADDED_AFTER_UNICODE_8 = {
            0x61D, 0x61D, 0x7FD, 0x7FD, 0x890, 0x891, 0x897, 0x89F, 0x8CA, 0x8E2, 0x9FD, 0x9FE, 0xA76, 0xA76, 0xAFA,
            0xAFF, 0xB55, 0xB55, 0xC04, 0xC04, 0xC3C, 0xC3C, 0xC77, 0xC77, 0xC84, 0xC84, 0xD00, 0xD00, 0xD3B, 0xD3C,
            0xD81, 0xD81, 0xEBA, 0xEBA, 0xECE, 0xECE, 0x180F, 0x180F, 0x1ABF, 0x1ACE, 0x1B4E, 0x1B4F, 0x1B7D, 0x1B7F,
            0x1DF6, 0x1DFB, 0x2E43, 0x2E4F, 0x2E52, 0x2E5D, 0xA82C, 0xA82C, 0xA8C5, 0xA8C5, 0xA8FF, 0xA8FF, 0x10D24,
            0x10D27, 0x10D69, 0x10D6E, 0x10EAB, 0x10EAD, 0x10EFC, 0x10EFF, 0x10F46, 0x10F50, 0x10F55, 0x10F59, 0x10F82,
            0x10F89, 0x11070, 0x11070, 0x11073, 0x11074, 0x110C2, 0x110C2, 0x110CD, 0x110CD, 0x111CF, 0x111CF, 0x1123E,
            0x1123E, 0x11241, 0x11241, 0x1133B, 0x1133B, 0x113BB, 0x113C0, 0x113CE, 0x113CE, 0x113D0, 0x113D0, 0x113D2,
            0x113D2, 0x113D4, 0x113D5, 0x113D7, 0x113D8, 0x113E1, 0x113E2, 0x11438, 0x1143F, 0x11442, 0x11444, 0x11446,
            0x11446, 0x1144B, 0x1144F, 0x1145A, 0x1145B, 0x1145D, 0x1145E, 0x11660, 0x1166C, 0x116B9, 0x116B9, 0x1182F,
            0x11837, 0x11839, 0x1183B, 0x1193B, 0x1193C, 0x1193E, 0x1193E, 0x11943, 0x11946, 0x119D4, 0x119D7, 0x119DA,
            0x119DB, 0x119E0, 0x119E0, 0x119E2, 0x119E2, 0x11A01, 0x11A0A, 0x11A33, 0x11A38, 0x11A3B, 0x11A47, 0x11A51,
            0x11A56, 0x11A59, 0x11A5B, 0x11A8A, 0x11A96, 0x11A98, 0x11A9C, 0x11A9E, 0x11AA2, 0x11B00, 0x11B09, 0x11BE1,
            0x11BE1, 0x11C30, 0x11C36, 0x11C38, 0x11C3D, 0x11C3F, 0x11C3F, 0x11C41, 0x11C45, 0x11C70, 0x11C71, 0x11C92,
            0x11CA7, 0x11CAA, 0x11CB0, 0x11CB2, 0x11CB3, 0x11CB5, 0x11CB6, 0x11D31, 0x11D36, 0x11D3A, 0x11D3A, 0x11D3C,
            0x11D3D, 0x11D3F, 0x11D45, 0x11D47, 0x11D47, 0x11D90, 0x11D91, 0x11D95, 0x11D95, 0x11D97, 0x11D97, 0x11EF3,
            0x11EF4, 0x11EF7, 0x11EF8, 0x11F00, 0x11F01, 0x11F36, 0x11F3A, 0x11F40, 0x11F40, 0x11F42, 0x11F4F, 0x11F5A,
            0x11F5A, 0x11FFF, 0x11FFF, 0x12FF1, 0x12FF2, 0x13430, 0x13440, 0x13447, 0x13455, 0x1611E, 0x16129, 0x1612D,
            0x1612F, 0x16D6D, 0x16D6F, 0x16E97, 0x16E9A, 0x16F4F, 0x16F4F, 0x16FE2, 0x16FE2, 0x16FE4, 0x16FE4, 0x1CF00,
            0x1CF2D, 0x1CF30, 0x1CF46, 0x1E000, 0x1E006, 0x1E008, 0x1E018, 0x1E01B, 0x1E021, 0x1E023, 0x1E024, 0x1E026,
            0x1E02A, 0x1E08F, 0x1E08F, 0x1E130, 0x1E136, 0x1E2AE, 0x1E2AE, 0x1E2EC, 0x1E2EF, 0x1E4EC, 0x1E4EF, 0x1E5EE,
            0x1E5EF, 0x1E5FF, 0x1E5FF, 0x1E944, 0x1E94A, 0x1E95E, 0x1E95F
    };

    /**
     * Inclusive ranges of marks and decomposable code points assigned after Unicode 9.0, the version of the
     * normalization tables Hugging Face uses (crate {@code unicode-normalization-alignments}): to it they are starters
     * without decomposition.
     */
    static final int[] NORMALIZATION_ADDED_AFTER_UNICODE_9 = {
            0x7FD, 0x7FD, 0x897, 0x89F, 0x8CA, 0x8D3, 0x9FE, 0x9FE, 0xAFA, 0xAFF, 0xB55, 0xB55, 0xC04, 0xC04, 0xC3C,
            0xC3C, 0xCF3, 0xCF3, 0xD00, 0xD00, 0xD3B, 0xD3C, 0xD81, 0xD81, 0xEBA, 0xEBA, 0xECE, 0xECE, 0x1715, 0x1715,
            0x180F, 0x180F, 0x1ABF, 0x1ACE, 0x1CF7, 0x1CF7, 0x1DF6, 0x1DFA, 0x32FF, 0x32FF, 0xA7F2, 0xA7F4, 0xA82C,
            0xA82C, 0xA8FF, 0xA8FF, 0xAB69, 0xAB69, 0x105C9, 0x105C9, 0x105E4, 0x105E4, 0x10781, 0x10785, 0x10787,
            0x107B0, 0x107B2, 0x107BA, 0x10D24, 0x10D27, 0x10D69, 0x10D6D, 0x10EAB, 0x10EAC, 0x10EFC, 0x10EFF, 0x10F46,
            0x10F50, 0x10F82, 0x10F85, 0x11070, 0x11070, 0x11073, 0x11074, 0x110C2, 0x110C2, 0x11145, 0x11146, 0x111CE,
            0x111CF, 0x11241, 0x11241, 0x1133B, 0x1133B, 0x11383, 0x11383, 0x11385, 0x11385, 0x1138E, 0x1138E, 0x11391,
            0x11391, 0x113B8, 0x113C0, 0x113C2, 0x113C2, 0x113C5, 0x113C5, 0x113C7, 0x113CA, 0x113CC, 0x113D0, 0x113D2,
            0x113D2, 0x113E1, 0x113E2, 0x1145E, 0x1145E, 0x1182C, 0x1183A, 0x11930, 0x11935, 0x11937, 0x11938, 0x1193B,
            0x1193E, 0x11940, 0x11940, 0x11942, 0x11943, 0x119D1, 0x119D7, 0x119DA, 0x119E0, 0x119E4, 0x119E4, 0x11A01,
            0x11A0A, 0x11A33, 0x11A39, 0x11A3B, 0x11A3E, 0x11A47, 0x11A47, 0x11A51, 0x11A5B, 0x11A8A, 0x11A99, 0x11D31,
            0x11D36, 0x11D3A, 0x11D3A, 0x11D3C, 0x11D3D, 0x11D3F, 0x11D45, 0x11D47, 0x11D47, 0x11D8A, 0x11D8E, 0x11D90,
            0x11D91, 0x11D93, 0x11D97, 0x11EF3, 0x11EF6, 0x11F00, 0x11F01, 0x11F03, 0x11F03, 0x11F34, 0x11F3A, 0x11F3E,
            0x11F42, 0x11F5A, 0x11F5A, 0x13440, 0x13440, 0x13447, 0x13455, 0x1611E, 0x1612F, 0x16D68, 0x16D6A, 0x16F4F,
            0x16F4F, 0x16F7F, 0x16F87, 0x16FE4, 0x16FE4, 0x16FF0, 0x16FF1, 0x1CCD6, 0x1CCF9, 0x1CF00, 0x1CF2D, 0x1CF30,
            0x1CF46, 0x1E030, 0x1E06D, 0x1E08F, 0x1E08F, 0x1E130, 0x1E136, 0x1E2AE, 0x1E2AE, 0x1E2EC, 0x1E2EF, 0x1E4EC,
            0x1E4EF, 0x1E5EE, 0x1E5EF, 0x1F16C, 0x1F16C, 0x1FBF0, 0x1FBF9
    };

    private static final byte ASCII_PUNCTUATION = 1;
    private static final byte ASCII_WHITESPACE = 2;
    private static final byte ASCII_CONTROL = 4;
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            byte flags = 0;
            if ((c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60)
                    || (c >= 0x7B && c <= 0x7E)) {
                flags |= ASCII_PUNCTUATION;
            }
            if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
                flags |= ASCII_WHITESPACE;
            }
            if ((c < 0x20 || c == 0x7F)) {
                flags |= ASCII_CONTROL;
            }
            ASCII[c] = flags;
        }
    }

    /** Rust's {@code char::is_whitespace}: the Unicode White_Space property. */
    public static boolean isWhitespace(int cp) {
        if (cp < 128) {
            return (ASCII[cp] & ASCII_WHITESPACE) != 0;
        }
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028
                || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** HF's BERT "control": a Unicode 8.0 Cc, Cf, Co or Cs character other than tab, newline and carriage return. */
    public static boolean isBertControl(int cp) {
        if (cp < 128) {
            return (ASCII[cp] & ASCII_CONTROL) != 0 && cp != '\t' && cp != '\n' && cp != '\r';
        }
        int type = unicode8Type(cp);
        return (type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE);
    }

    /** HF's BERT punctuation: ASCII punctuation (symbols included) or a Unicode 8.0 P* character. */
    public static boolean isBertPunctuation(int cp) {
        if (cp < 128) {
            return (ASCII[cp] & ASCII_PUNCTUATION) != 0;
        }
        return isPunctuation(cp);
    }

    /** A Unicode 8.0 punctuation character (Pc, Pd, Ps, Pe, Pi, Pf, Po). */
    public static boolean isPunctuation(int cp) {
        return switch (unicode8Type(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** A Unicode 8.0 non-spacing mark (Mn). */
    public static boolean isNonSpacingMark(int cp) {
        return cp >= 0x300 && unicode8Type(cp) == Character.NON_SPACING_MARK;
    }

    /**
     * The general category of a code point in Unicode 8.0, as a {@link Character#getType} constant, for the categories
     * HF looks at (a code point of another category added later may still report its current category).
     */
    static int unicode8Type(int cp) {
        switch (cp) {
            case 0x166D, 0x111C9:
                return Character.OTHER_PUNCTUATION; // now So and Mn
            case 0x1734, 0x1171E:
                return Character.NON_SPACING_MARK; // now Mc
            case 0x1885, 0x1886:
                return Character.OTHER_LETTER; // now Mn
            case 0xA9BD:
                return Character.COMBINING_SPACING_MARK; // now Mn
            default:
                break;
        }
        int type = Character.getType(cp);
        return addedAfterUnicode8(cp) ? Character.UNASSIGNED : type;
    }

    /** The CJK ideograph blocks BERT surrounds with spaces. */
    public static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** Whether HF's Unicode 9.0 normalization tables know {@code cp} (decompositions, combining classes). */
    public static boolean knownToNormalization(int cp) {
        return cp < 0x7FD || !inRanges(NORMALIZATION_ADDED_AFTER_UNICODE_9, cp);
    }

    static boolean addedAfterUnicode8(int cp) {
        return cp >= 0x61D && inRanges(ADDED_AFTER_UNICODE_8, cp);
    }

    private static boolean inRanges(int[] ranges, int cp) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (cp > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
