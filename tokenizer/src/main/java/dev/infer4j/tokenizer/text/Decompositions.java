package dev.infer4j.tokenizer.text;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;

/**
 * Full canonical (NFD) and compatibility (NFKD) decompositions of single code points, from the JDK's normalizer,
 * tabulated once on first use so that hot loops look them up without allocating. Code points Hugging Face's Unicode
 * 9.0 tables do not know have none.
 */
public final class Decompositions {

    private Decompositions() {
    }

    /** The NFD of {@code cp}, or {@code null} when it is {@code cp} itself. */
    public static char[] canonical(int cp) {
        return Table.NFD.get(cp);
    }

    /** The NFKD of {@code cp}, or {@code null} when it is {@code cp} itself. */
    public static char[] compatibility(int cp) {
        return Table.NFKD.get(cp);
    }

    private static final class Table {
        static final Table NFD = new Table(Normalizer.Form.NFD);
        static final Table NFKD = new Table(Normalizer.Form.NFKD);

        private final char[][] bmp = new char[0x10000][];
        private final Map<Integer, char[]> supplementary = new HashMap<>();

        private Table(Normalizer.Form form) {
            StringBuilder one = new StringBuilder(2);
            for (int cp = 0xA0; cp <= Character.MAX_CODE_POINT; cp++) {
                if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                    continue;
                }
                one.setLength(0);
                one.appendCodePoint(cp);
                if (!Normalizer.isNormalized(one, form)) {
                    char[] d = Normalizer.normalize(one, form).toCharArray();
                    if (cp < 0x10000) {
                        bmp[cp] = d;
                    } else {
                        supplementary.put(cp, d);
                    }
                }
            }
        }

        char[] get(int cp) {
            if (cp < 0xA0 || !UnicodeClasses.knownToNormalization(cp)) {
                return null;
            }
            return cp < 0x10000 ? bmp[cp] : supplementary.get(cp);
        }
    }
}
