package dev.infer4j.tokenizer.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic, seeded corpus of hostile text for tokenizer parity tests: words in many scripts, accents and
 * combining sequences, emoji (ZWJ, skin tones, flags), control and format characters, whitespace runs, very long
 * words, code, numbers, URLs, added-token look-alikes and random code points from all planes (unassigned and private
 * use included). Never contains lone surrogates (see {@link #withLoneSurrogates}).
 */
public final class MultilingualCorpus {

    private static final String[] ENGLISH = ("the of and to in is was he for it with as his on be at by had are but "
            + "from or have an they which one you were all we her she there would their will when who him been has "
            + "more if no out do so can what up said about other into than its time only could new them man some "
            + "these then two first may any like now my such make over our even most me state after also made many "
            + "did must before back see through way where get much go well your know should down work year because "
            + "come people just say each those take day good how long little used very great world tokenizer "
            + "embedding transformer inference unbelievable antidisestablishmentarianism don't can't I'm we've "
            + "they're it's Hello WORLD McDonald's e-mail state-of-the-art re-enter naïve").split(" ");
    private static final String[] ACCENTED = ("café résumé naïve façade Ångström Straße Øresund São Paulo "
            + "Zürich Kraków Dvořák Łódź Ærøskøbing crème brûlée jalapeño piñata coöperate élève Ça ÉCOLE "
            + "İstanbul ıiIİ ǅemal ŉ ﬁnance ﬀ Ǆ ǈ ǋ ẞ ǰ ΐ").split(" ");
    private static final String[] SCRIPTS = ("Καλημέρα κόσμε ΣΊΣΥΦΟΣ ὀδυσσεύς Здравствуй мир Ёлка "
            + "Привет Україна مرحبا بالعالم السَّلَامُ عَلَيْكُمْ שָׁלוֹם עולם नमस्ते दुनिया हिन्दी "
            + "สวัสดีชาวโลก ภาษาไทย 你好世界 中华人民共和国 我爱自然语言处理 こんにちは世界 カタカナ ひらがな 東京都 "
            + "안녕하세요 세계 한국어 გამარჯობა Բարեւ ሰላም வணக்கம் হ্যালো ಕನ್ನಡ ᠮᠣᠩᠭᠣᠯ ཀཁག ꦗꦮ ᏣᎳᎩ "
            + "Ꭰ ᚠᚢᚦ 𐌰𐌱𐌲 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐁𝐨𝐥𝐝 ＦＵＬＬ ｗｉｄｔｈ １２３ ｶﾀｶﾅ ㈱ ㍻ ℡ ™ Ⅻ ½ ² ₃ ⁿ").split(" ");
    private static final String[] EMOJI = {"😀", "👍🏽", "👨‍👩‍👧‍👦", "🇫🇷", "🇯🇵", "1️⃣", "❤️", "🥰", "🫠", "🏳️‍🌈",
        "✈", "☃", "🧑🏿‍💻", "🙂", "🤖", "🦀", "🫶🏻", "©", "®", "‼️"};
    private static final String[] PUNCT = {".", ",", "!", "?", "...", "…", "—", "–", "-", "«", "»", "“", "”", "‘",
        "’", "¿", "¡", "、", "。", "「", "」", "(", ")", "[", "]", "{", "}", "<", ">", "/", "\\", "|", "@", "#",
        "$", "%", "^", "&", "*", "_", "~", "`", "'", "\"", ";", ":", "§", "¶", "†", "‡", "•", "′", "″", "⁂",
        "⸮", "⹝", "⸺", "؟", "।", "॥", "﹏", "＿", "·"};
    private static final String[] CODE = {"for (int i = 0; i < n; i++) {", "def f(x): return x**2 + 1",
        "<div class=\"a\">x</div>", "SELECT * FROM users WHERE id = 42;", "x => x + 1", "{\"key\": [1, 2.5e-3]}",
        "#include <stdio.h>", "if (a != b && c >= d) return;", "std::vector<int> v{1,2,3};", "let s = `${x}`;",
        "public static void main(String[] args)", "fn main() -> Result<(), Box<dyn Error>> {", "λx.x",
        "a_b_c__d", "camelCaseIdentifier", "snake_case_id", "SCREAMING_CASE", "0x1F600", "1e10", "i++;--j"};
    private static final String[] SPECIAL_LOOKALIKES = {"[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "<s>", "</s>",
        "<unk>", "<|endoftext|>", "[cls]", "[CLS ]", "<|im_start|>", "<mask>"};
    private static final String[] CONTROLS = {"\u0000", "\u0001", "\u0007", "\b", "\u000B", "\f", "\u001B",
        "\u001F", "\u007F", "\u0085", "\u00AD", "\u061C", "\u180E", "\u200B", "\u200C", "\u200D", "\u200E",
        "\u200F", "\u2028", "\u2029", "\u2060", "\u2066", "\uFEFF", "\uFFFD", "\uFFFE", "\uE000", "\uF8FF",
        "\u0890", "\u08E2", "\uDB40\uDC01"};
    private static final String[] SPACES = {" ", "  ", "\t", "\n", "\r\n", "\r", "\u00A0", "\u3000", "\u2003",
        "\u2009", "\u202F", "\u1680", " \t ", "\n\n", "      "};
    private static final String[] COMBINING = {"\u0300", "\u0301", "\u0302", "\u0303", "\u0308", "\u0323",
        "\u0327", "\u0338", "\u0345", "\u05B7", "\u0670", "\u093C", "\u0E49", "\u1AB0", "\u1DF6", "\u20D0",
        "\u20DD", "\u3099", "\u302A", "\uFE0F", "\uD834\uDD65"};

    private MultilingualCorpus() {
    }

    /** {@code count} lines generated from {@code seed}. */
    public static List<String> lines(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String line = line(random);
            if (hasLoneSurrogate(line)) {
                throw new IllegalStateException("generator bug: lone surrogate in line " + i);
            }
            lines.add(line);
        }
        return lines;
    }

    /** Whether {@code s} has a surrogate that is not half of a valid pair. */
    public static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Like {@link #lines} with lone high or low surrogates scattered in. */
    public static List<String> withLoneSurrogates(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder(line(random));
            int n = 1 + random.nextInt(3);
            for (int k = 0; k < n; k++) {
                char lone = random.nextBoolean() ? (char) (0xD800 + random.nextInt(0x400))
                        : (char) (0xDC00 + random.nextInt(0x400));
                int at = random.nextInt(sb.length() + 1);
                // do not land between the halves of a pair, or the result would be a valid pair
                while (at > 0 && at < sb.length() && Character.isLowSurrogate(sb.charAt(at))
                        && Character.isHighSurrogate(sb.charAt(at - 1))) {
                    at--;
                }
                sb.insert(at, lone);
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    private static String line(SplittableRandom r) {
        int kind = r.nextInt(100);
        int pieces = kind < 5 ? 150 + r.nextInt(300) : kind < 15 ? 0 : 1 + r.nextInt(kind < 60 ? 12 : 40);
        StringBuilder sb = new StringBuilder();
        if (pieces == 0) {
            // short oddities: empty, whitespace only, a single piece
            switch (r.nextInt(4)) {
                case 0 -> { }
                case 1 -> sb.append(pick(r, SPACES));
                case 2 -> sb.append(piece(r));
                default -> sb.append(pick(r, SPACES)).append(piece(r)).append(pick(r, SPACES));
            }
            return sb.toString();
        }
        for (int p = 0; p < pieces; p++) {
            if (p > 0) {
                int s = r.nextInt(20);
                sb.append(s < 14 ? " " : s < 16 ? "" : pick(r, SPACES));
            }
            sb.append(piece(r));
        }
        return sb.toString();
    }

    private static String piece(SplittableRandom r) {
        int k = r.nextInt(1000);
        if (k < 400) {
            String w = pick(r, ENGLISH);
            return r.nextInt(8) == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w;
        } else if (k < 480) {
            return pick(r, ACCENTED);
        } else if (k < 600) {
            return pick(r, SCRIPTS);
        } else if (k < 650) {
            return pick(r, EMOJI);
        } else if (k < 720) {
            return pick(r, PUNCT);
        } else if (k < 770) {
            return pick(r, CODE);
        } else if (k < 810) {
            return number(r);
        } else if (k < 830) {
            return r.nextBoolean() ? "https://example.com/path?q=" + r.nextInt(1000) + "&x=y#frag"
                    : "user" + r.nextInt(100) + "@mail.example.org";
        } else if (k < 850) {
            return pick(r, CONTROLS);
        } else if (k < 860) {
            return longWord(r);
        } else if (k < 890) {
            String base = pick(r, ENGLISH);
            StringBuilder sb = new StringBuilder(base);
            int marks = 1 + r.nextInt(3);
            for (int i = 0; i < marks; i++) {
                int at = 1 + r.nextInt(sb.length());
                if (at < sb.length() && Character.isLowSurrogate(sb.charAt(at))) {
                    at++; // never split a surrogate pair
                }
                sb.insert(at, pick(r, COMBINING));
            }
            return sb.toString();
        } else if (k < 905) {
            return pick(r, SPECIAL_LOOKALIKES);
        } else if (k < 960) {
            return randomCodePoints(r, 1 + r.nextInt(4), false);
        } else {
            return randomCodePoints(r, 1 + r.nextInt(3), true);
        }
    }

    private static String number(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> Integer.toString(r.nextInt(100));
            case 1 -> Long.toString(r.nextLong(10_000_000_000L));
            case 2 -> r.nextInt(1000) + "." + r.nextInt(1000);
            case 3 -> String.format("%,d", r.nextInt(10_000_000));
            default -> "٣٤٥" + r.nextInt(10) + "४२";
        };
    }

    private static String longWord(SplittableRandom r) {
        int n = 60 + r.nextInt(300);
        StringBuilder sb = new StringBuilder(n);
        String alphabet = r.nextBoolean() ? "abcdefghijklmnopqrstuvwxyz" : "αβγδεζηθικλμνξοπρστυφχψω";
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String randomCodePoints(SplittableRandom r, int n, boolean astral) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int cp;
            do {
                cp = astral ? 0x10000 + r.nextInt(0x100000) : r.nextInt(0x10000);
            } while (cp >= 0xD800 && cp <= 0xDFFF);
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static String pick(SplittableRandom r, String[] options) {
        return options[r.nextInt(options.length)];
    }
}
