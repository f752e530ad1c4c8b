package dev.infer4j.engine.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A varied corpus for encoder parity tests: short, odd, multilingual, generated, and over-long texts. */
public final class EncoderTexts {
    private EncoderTexts() {
    }

    private static final List<String> HANDWRITTEN = List.of(
            "Hello, world!",
            "The quick brown fox jumps over the lazy dog.",
            "What is the capital of France?",
            "Paris is the capital and most populous city of France.",
            "I love machine learning.",
            "Embeddings map text to vectors.",
            "a",
            "?",
            "",
            "   leading and trailing spaces   ",
            "Tabs\tand\nnewlines\r\nmixed in.",
            "UPPER CASE SHOUTING TEXT",
            "MiXeD cAsE wOrDs",
            "Numbers: 3.14159, 2,718, 1e-9 and 42%.",
            "Dates like 2024-05-17 and 17/05/2024 at 13:45.",
            "Email me at someone@example.com or visit https://example.org/path?q=1&r=2#frag.",
            "C'est la vie, naïve café crème brûlée.",
            "Ärger über Öl und Übermut — Straße.",
            "¿Dónde está la biblioteca? ¡Aquí!",
            "東京は日本の首都です。",
            "北京欢迎你",
            "한국어 문장도 있습니다.",
            "Привет, как дела?",
            "Γεια σου κόσμε",
            "مرحبا بالعالم",
            "שלום עולם",
            "नमस्ते दुनिया",
            "Emoji 😀🎉👍🏽 and symbols ©®™ ∑∫√∞",
            "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }",
            "SELECT name, COUNT(*) FROM users GROUP BY name HAVING COUNT(*) > 1;",
            "<html><body><p class=\"x\">Some <b>bold</b> text</p></body></html>",
            "{\"key\": [1, 2, 3], \"nested\": {\"a\": null}}",
            "def f(x):\n    return x ** 2  # square",
            "unbelievably antidisestablishmentarianism supercalifragilisticexpialidocious",
            "pneumonoultramicroscopicsilicovolcanoconiosis",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "... --- ... !!! ??? ;;; :::",
            "The cat sat on the mat. The dog sat on the log.",
            "Can you recommend a good book about the history of mathematics?",
            "Transformers use self-attention to weigh the importance of each token.",
            "The stock market fell sharply on Tuesday amid fears of rising interest rates.",
            "Photosynthesis converts light energy into chemical energy stored in glucose.",
            "She sells sea shells by the sea shore.",
            "To be, or not to be, that is the question.",
            "It was the best of times, it was the worst of times.",
            "The mitochondria is the powerhouse of the cell.",
            "Please reset my password; I can't log in since yesterday.",
            "Refund request: order #12345 arrived damaged.",
            "How do I cook rice without a rice cooker?",
            "Java 25 brings the Foreign Function & Memory API as a final feature.",
            "The Eiffel Tower is 330 metres tall.",
            "Water boils at 100 °C at sea level.",
            "I'm not sure what you mean — could you clarify?",
            "don't won't can't shouldn't y'all'd've",
            "e.g. i.e. etc. vs. Mr. Mrs. Dr. St.",
            "[CLS] literal special tokens [SEP] in the text [MASK]",
            "##ing ##s word pieces written out",
            "Zero\u200Bwidth\u200Bspaces and non\u00A0breaking spaces",
            "Combining accents: e\u0301 a\u0300 o\u0308",
            "Ｆｕｌｌｗｉｄｔｈ　ｔｅｘｔ",
            "line one\n\nline three after a blank line",
            "Short.",
            "Yes",
            "No!",
            "OK",
            "The 2nd and 3rd place finishers received $1,500 and $750 respectively.",
            "α-β-γ β-lactamase inhibitors",
            "CO2 emissions rose by 1.1% in 2023.",
            "Neural networks are universal function approximators.",
            "The Great Wall of China is visible from low Earth orbit under some conditions.");

    private static final String[] SUBJECTS = {"The committee", "A small robot", "My neighbour", "The new policy",
            "This algorithm", "Our team", "The old library", "A curious child", "The weather service", "The orchestra"};
    private static final String[] VERBS = {"announced", "discovered", "questioned", "improved", "ignored",
            "celebrated", "rejected", "explained", "measured", "designed"};
    private static final String[] OBJECTS = {"the quarterly results", "a hidden pattern in the data",
            "the safety of the bridge", "an ancient manuscript", "the rules of the game", "a faster sorting method",
            "the migration of birds", "the price of electricity", "a surprising melody", "the meaning of the word"};
    private static final String[] TAILS = {"", " yesterday", " after a long debate", " with great enthusiasm",
            " despite the heavy rain", " in front of a large audience", " for the third time this year",
            " using only a pencil and paper", " before anyone else noticed", " while the city was asleep"};

    /** At least 200 texts; the last ones are longer than 512 tokens. */
    public static List<String> corpus() {
        List<String> texts = new ArrayList<>(HANDWRITTEN);
        Random random = new Random(20240517);
        for (int i = 0; i < 120; i++) {
            StringBuilder s = new StringBuilder();
            int sentences = 1 + random.nextInt(i % 10 == 0 ? 12 : 3);
            for (int k = 0; k < sentences; k++) {
                s.append(k == 0 ? "" : " ").append(SUBJECTS[random.nextInt(SUBJECTS.length)]).append(' ')
                        .append(VERBS[random.nextInt(VERBS.length)]).append(' ')
                        .append(OBJECTS[random.nextInt(OBJECTS.length)]).append(TAILS[random.nextInt(TAILS.length)])
                        .append(random.nextBoolean() ? "." : "!");
            }
            texts.add(s.toString());
        }
        texts.addAll(longTexts(12, random));
        return texts;
    }

    /** Texts of about 250 to 900 words: all exceed 256 tokens and most exceed 512. */
    public static List<String> longTexts(int count, Random random) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder();
            int words = 250 + i * 60;
            while (s.length() < words * 6) {
                s.append(HANDWRITTEN.get(random.nextInt(HANDWRITTEN.size()))).append(' ');
            }
            texts.add(s.toString());
        }
        return texts;
    }
}
