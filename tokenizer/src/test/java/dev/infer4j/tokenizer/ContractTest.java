package dev.infer4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.tokenizer.normalize.BertNormalizer;
import dev.infer4j.tokenizer.normalize.LowercaseNormalizer;
import dev.infer4j.tokenizer.normalize.Normalizer;
import dev.infer4j.tokenizer.normalize.PrependNormalizer;
import dev.infer4j.tokenizer.normalize.ReplaceNormalizer;
import dev.infer4j.tokenizer.normalize.StripAccentsNormalizer;
import dev.infer4j.tokenizer.normalize.StripNormalizer;
import dev.infer4j.tokenizer.normalize.UnicodeNormalizer;
import dev.infer4j.tokenizer.pretokenize.BertPreTokenizer;
import dev.infer4j.tokenizer.pretokenize.ByteLevelPreTokenizer;
import dev.infer4j.tokenizer.pretokenize.CharClassPreTokenizer;
import dev.infer4j.tokenizer.pretokenize.MetaspacePreTokenizer;
import dev.infer4j.tokenizer.pretokenize.PreTokenizer;
import dev.infer4j.tokenizer.pretokenize.SplitBehavior;
import dev.infer4j.tokenizer.pretokenize.SplitPreTokenizer;
import dev.infer4j.tokenizer.pretokenize.WhitespacePreTokenizer;
import dev.infer4j.tokenizer.testing.GgufMetadataFixture;
import dev.infer4j.tokenizer.testing.Resources;
import dev.infer4j.tokenizer.text.LiteralPattern;
import dev.infer4j.tokenizer.text.NormalizedText;
import dev.infer4j.tokenizer.text.Patterns;
import dev.infer4j.tokenizer.text.PreTokenizedText;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every stage keeps, on random Unicode (all planes, unassigned and private-use code points, combining
 * runs, whitespace, and lone surrogates): no exception; alignments and offsets inside the input and in order; splits
 * ordered, disjoint and non-empty; idempotent normalizers idempotent; token ids inside the vocabulary; byte-level BPE
 * decoding its own encoding back to the input.
 */
class ContractTest {

    private static final List<String> INPUTS = randomTexts(4242L, 1500);

    /** Random hostile texts, lone surrogates included. */
    static List<String> randomTexts(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        String special = " \t\n\r\u00A0\u3000\u200B\u0301\u0323\u0308\u302A\u1DF6'sS09.-_!\u0130\u03A3\u00DF\uFB01";
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(i % 10 == 0 ? 400 : 40);
            for (int k = 0; k < n; k++) {
                int kind = r.nextInt(10);
                if (kind < 3) {
                    sb.append(special.charAt(r.nextInt(special.length())));
                } else if (kind < 6) {
                    sb.append((char) ('a' + r.nextInt(26)));
                } else if (kind < 8) {
                    sb.append((char) r.nextInt(0x10000)); // lone surrogates possible
                } else {
                    sb.appendCodePoint(0x10000 + r.nextInt(0x100000));
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    static Stream<Arguments> normalizers() {
        Map<String, Normalizer> all = new LinkedHashMap<>();
        all.put("Bert", new BertNormalizer(true, true, null, true));
        all.put("Bert cased", new BertNormalizer(true, false, false, false));
        all.put("NFC", new UnicodeNormalizer(Form.NFC));
        all.put("NFD", new UnicodeNormalizer(Form.NFD));
        all.put("NFKC", new UnicodeNormalizer(Form.NFKC));
        all.put("NFKD", new UnicodeNormalizer(Form.NFKD));
        all.put("Lowercase", new LowercaseNormalizer());
        all.put("StripAccents", new StripAccentsNormalizer());
        all.put("Strip", new StripNormalizer(true, true));
        all.put("Replace", new ReplaceNormalizer(new LiteralPattern(" "), "\u2581"));
        all.put("Replace regex", new ReplaceNormalizer(Patterns.regex("\\s+"), "_"));
        all.put("Prepend", new PrependNormalizer("\u2581"));
        return all.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normalizers")
    void normalizersKeepAlignmentsInsideAndInOrder(String name, Normalizer normalizer) {
        boolean idempotent = !name.startsWith("Bert") && !name.startsWith("Prepend") && !name.startsWith("Replace");
        for (String input : INPUTS) {
            NormalizedText text = NormalizedText.of(input, 0, input.length());
            assertDoesNotThrow(() -> normalizer.normalize(text), () -> name + " threw on " + codes(input));
            int previousStart = 0;
            for (int i = 0; i < text.length(); i++) {
                int s = text.originalStart(i);
                int e = text.originalEnd(i);
                assertTrue(0 <= s && s <= e && e <= input.length(), () -> name + " alignment outside the input");
                assertTrue(s >= previousStart, () -> name + " alignments go backwards for " + codes(input));
                previousStart = s;
            }
            if (idempotent) {
                String once = text.toString();
                NormalizedText again = NormalizedText.of(once, 0, once.length());
                normalizer.normalize(again);
                assertEquals(once, again.toString(), () -> name + " is not idempotent on " + codes(input));
            }
        }
    }

    static Stream<Arguments> preTokenizers() {
        Map<String, PreTokenizer> all = new LinkedHashMap<>();
        all.put("Bert", new BertPreTokenizer());
        all.put("ByteLevel", new ByteLevelPreTokenizer(true, true));
        all.put("Whitespace", new WhitespacePreTokenizer());
        all.put("WhitespaceSplit", CharClassPreTokenizer.whitespaceSplit());
        all.put("Punctuation", CharClassPreTokenizer.punctuation(SplitBehavior.CONTIGUOUS));
        all.put("Digits", CharClassPreTokenizer.digits(true));
        all.put("Metaspace", new MetaspacePreTokenizer('\u2581', MetaspacePreTokenizer.PrependScheme.ALWAYS, true));
        for (SplitBehavior b : SplitBehavior.values()) {
            all.put("Split " + b, new SplitPreTokenizer(new LiteralPattern("a"), b, false));
            all.put("Split inverted " + b, new SplitPreTokenizer(Patterns.regex("\\p{L}+"), b, true));
        }
        all.put("Split Llama 3", new SplitPreTokenizer(Patterns.regex(Patterns.LLAMA3), SplitBehavior.ISOLATED, false));
        return all.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preTokenizers")
    void preTokenizersMakeOrderedDisjointNonEmptySplits(String name, PreTokenizer preTokenizer) {
        for (String input : INPUTS) {
            NormalizedText text = NormalizedText.of(input, 0, input.length());
            PreTokenizedText splits = new PreTokenizedText(text);
            assertDoesNotThrow(() -> preTokenizer.preTokenize(splits), () -> name + " threw on " + codes(input));
            int previousEnd = 0;
            for (int i = 0; i < splits.splitCount(); i++) {
                int s = splits.splitStart(i);
                int e = splits.splitEnd(i);
                assertTrue(s >= previousEnd && s < e && e <= text.length(), () -> name + " bad split on "
                        + codes(input));
                previousEnd = e;
            }
        }
    }

    static Stream<Arguments> tokenizers() {
        Map<String, Tokenizer> all = new LinkedHashMap<>();
        all.put("MiniLM", Tokenizers.fromJson(Resources.open(Resources.MINILM)).withoutTruncation().withoutPadding());
        for (String v : new String[] {"gpt-2", "llama-spm", "phi-3", "falcon", "deepseek-llm", "bert-bge"}) {
            all.put(v, Tokenizers.fromGguf(GgufMetadataFixture.read(Resources.shared(
                    "models/llama.cpp-vocab/ggml-vocab-" + v + ".gguf"))));
        }
        return all.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void tokenizersGiveValidIdsAndOrderedOffsets(String name, Tokenizer tokenizer) {
        for (String input : INPUTS) {
            Encoding e = assertDoesNotThrow(() -> tokenizer.encode(input, true), () -> name + " on " + codes(input));
            int previousStart = 0;
            for (int i = 0; i < e.length(); i++) {
                int id = e.id(i);
                assertTrue(id >= 0 && id < tokenizer.vocabSize(), () -> name + " id out of range");
                int s = e.startOffset(i);
                int end = e.endOffset(i);
                assertTrue(0 <= s && s <= end && end <= input.length(), () -> name + " offset outside the input");
                if (e.specialTokensMask(i) == 0) {
                    assertTrue(s >= previousStart, () -> name + " offsets go backwards on " + codes(input));
                    previousStart = s;
                }
            }
            assertDoesNotThrow(() -> tokenizer.decode(e.ids(), true));
            if (name.equals("gpt-2")) {
                assertEquals(withoutLoneSurrogates(input), tokenizer.decode(tokenizer.encode(input, false).ids(),
                        false), "byte-level BPE must round-trip");
            }
        }
    }

    private static String withoutLoneSurrogates(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }

    private static String codes(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            sb.append(String.format("%04X ", (int) s.charAt(i)));
        }
        return sb.toString();
    }
}
