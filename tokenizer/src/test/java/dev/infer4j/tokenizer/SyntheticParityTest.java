package dev.infer4j.tokenizer;

import dev.infer4j.tokenizer.testing.GgufMetadataFixture;
import dev.infer4j.tokenizer.testing.HfReference;
import dev.infer4j.tokenizer.testing.Mismatches;
import dev.infer4j.tokenizer.testing.MultilingualCorpus;
import dev.infer4j.tokenizer.testing.Resources;
import dev.infer4j.tokenizer.testing.SyntheticTokenizerJson;
import dev.infer4j.tokenizer.text.Patterns;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pipelines we have no real tokenizer.json for, checked against Hugging Face on the multilingual corpus through
 * tokenizer.json files built from the shared GGUF vocabularies: byte-level BPE with every supported
 * {@code tokenizer.ggml.pre} (also checking that the GGUF path gives the same ids as the tokenizer.json path),
 * SentencePiece-style BPE with byte fallback, Metaspace, and Unigram.
 */
class SyntheticParityTest {

    private static final List<String> CORPUS = MultilingualCorpus.lines(77L, 2500);
    private static final String BYTE_LEVEL_REGEX = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, "
            + "\"trim_offsets\": true, \"use_regex\": true}";
    private static final String BYTE_LEVEL_PLAIN = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, "
            + "\"trim_offsets\": true, \"use_regex\": false}";
    private static final String TRIM = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true}";

    private static Map<String, Object> gguf(String name) {
        return GgufMetadataFixture.read(Resources.shared("models/llama.cpp-vocab/ggml-vocab-" + name + ".gguf"));
    }

    private static String split(String regex) {
        return "{\"type\": \"Split\", \"pattern\": {\"Regex\": " + quote(regex)
                + "}, \"behavior\": \"Isolated\", \"invert\": false}";
    }

    private static String quote(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sequence(String... items) {
        return "{\"type\": \"Sequence\", \"pretokenizers\": [" + String.join(", ", items) + "]}";
    }

    /** Hugging Face's pre-tokenizer section for a GGUF pre type, as in the models' tokenizer.json files. */
    private static String preTokenizerFor(String pre) {
        return switch (pre) {
            case "gpt-2" -> BYTE_LEVEL_REGEX;
            case "starcoder" -> sequence("{\"type\": \"Digits\", \"individual_digits\": true}", BYTE_LEVEL_REGEX);
            case "falcon" -> sequence("{\"type\": \"Punctuation\", \"behavior\": \"Contiguous\"}", BYTE_LEVEL_REGEX,
                    "{\"type\": \"Digits\", \"individual_digits\": false}", split("[0-9][0-9][0-9]"));
            case "deepseek-coder" -> sequence(split("[\r\n]"), split("\\s?\\p{L}+"), split("\\s?\\p{P}+"),
                    split(Patterns.DEEPSEEK_CJK), "{\"type\": \"Digits\", \"individual_digits\": true}",
                    BYTE_LEVEL_PLAIN);
            case "deepseek-llm" -> sequence(split("[\r\n]"), split(Patterns.DEEPSEEK_LLM_LETTERS),
                    split(Patterns.DEEPSEEK_LLM_PUNCTUATION), split("\\s+$"), split(Patterns.DEEPSEEK_CJK),
                    "{\"type\": \"Digits\", \"individual_digits\": true}", BYTE_LEVEL_PLAIN);
            case "llama3", "qwen2", "tekken" -> sequence(split(switch (pre) {
                case "llama3" -> Patterns.LLAMA3;
                case "qwen2" -> Patterns.QWEN2;
                default -> Patterns.TEKKEN;
            }), BYTE_LEVEL_PLAIN);
            default -> throw new IllegalArgumentException(pre);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-2", "starcoder", "falcon", "deepseek-coder", "deepseek-llm", "llama3", "qwen2",
        "tekken"})
    void byteLevelBpeMatchesForEveryPreType(String pre) {
        Map<String, Object> metadata = new HashMap<>(gguf("gpt-2"));
        metadata.put("tokenizer.ggml.pre", pre);
        boolean ignoreMerges = pre.equals("llama3") || pre.equals("tekken");
        String normalizer = pre.equals("qwen2") ? "{\"type\": \"NFC\"}" : null;
        byte[] json = SyntheticTokenizerJson.byteLevelBpe(metadata, normalizer, preTokenizerFor(pre), TRIM,
                ignoreMerges);
        Tokenizer fromJson = Tokenizers.fromJson(new ByteArrayInputStream(json));
        Tokenizer fromGguf = Tokenizers.fromGguf(metadata);
        compare("byte-level BPE, pre " + pre, json, fromJson, fromGguf, true);
    }

    @Test
    void sentencePieceBpeWithByteFallbackMatches() {
        String normalizer = "{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"Prepend\", \"prepend\": \"\u2581\"},"
                + " {\"type\": \"Replace\", \"pattern\": {\"String\": \" \"}, \"content\": \"\u2581\"}]}";
        String decoder = "{\"type\": \"Sequence\", \"decoders\": [{\"type\": \"Replace\", \"pattern\": {\"String\":"
                + " \"\u2581\"}, \"content\": \" \"}, {\"type\": \"ByteFallback\"}, {\"type\": \"Fuse\"},"
                + " {\"type\": \"Strip\", \"content\": \" \", \"start\": 1, \"stop\": 0}]}";
        byte[] json = SyntheticTokenizerJson.sentencePieceBpe(gguf("llama-spm"), normalizer, null, decoder);
        compare("SentencePiece BPE (llama-spm pieces), byte fallback", json,
                Tokenizers.fromJson(new ByteArrayInputStream(json)), null, true);
    }

    @Test
    void metaspaceWithBpeMatches() {
        String pre = "{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"prepend_scheme\": \"first\","
                + " \"split\": false}";
        String decoder = "{\"type\": \"Sequence\", \"decoders\": [{\"type\": \"Replace\", \"pattern\": {\"String\":"
                + " \"\u2581\"}, \"content\": \" \"}, {\"type\": \"ByteFallback\"}, {\"type\": \"Fuse\"},"
                + " {\"type\": \"Strip\", \"content\": \" \", \"start\": 1, \"stop\": 0}]}";
        byte[] json = SyntheticTokenizerJson.sentencePieceBpe(gguf("phi-3"), null, pre, decoder);
        compare("Metaspace (first) + BPE (phi-3 pieces)", json, Tokenizers.fromJson(new ByteArrayInputStream(json)),
                null, true);
    }

    @Test
    void unigramWithMetaspaceMatches() {
        String pre = "{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"prepend_scheme\": \"always\","
                + " \"split\": true}";
        String decoder = "{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"prepend_scheme\": \"always\","
                + " \"split\": true}";
        byte[] json = SyntheticTokenizerJson.unigram(gguf("llama-spm"), null, pre, decoder, false);
        compare("Unigram (llama-spm pieces), Metaspace", json, Tokenizers.fromJson(new ByteArrayInputStream(json)),
                null, true);
    }

    @Test
    void unigramWithByteFallbackAndNormalizersMatches() {
        String normalizer = "{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFKC\"},"
                + " {\"type\": \"Replace\", \"pattern\": {\"Regex\": \" {2,}\"}, \"content\": \" \"},"
                + " {\"type\": \"Lowercase\"}]}";
        String pre = "{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"prepend_scheme\": \"always\","
                + " \"split\": true}";
        String decoder = "{\"type\": \"Sequence\", \"decoders\": [{\"type\": \"ByteFallback\"},"
                + " {\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"prepend_scheme\": \"always\"}]}";
        byte[] json = SyntheticTokenizerJson.unigram(gguf("phi-3"), normalizer, pre, decoder, true);
        compare("Unigram (phi-3 pieces), NFKC + Replace + Lowercase, byte fallback", json,
                Tokenizers.fromJson(new ByteArrayInputStream(json)), null, true);
    }

    private static void compare(String what, byte[] json, Tokenizer ours, Tokenizer alsoOurs, boolean offsets) {
        Mismatches m = new Mismatches(what);
        try (HfReference hf = new HfReference(json, Map.of("truncation", "false", "padding", "false"))) {
            for (String line : CORPUS) {
                var expected = hf.encode(line, true, false);
                int[] expectedIds = HfReference.ints(expected.getIds());
                Encoding actual = ours.encode(line, true);
                m.check(line, "ids", expectedIds, actual.ids());
                if (alsoOurs != null) {
                    m.check(line, "ids through GGUF", expectedIds, alsoOurs.encode(line, true).ids());
                }
                if (offsets) {
                    int[][] o = HfReference.utf16Offsets(expected, line);
                    m.check(line, "starts", o[0], actual.startOffsets());
                    m.check(line, "ends", o[1], actual.endOffsets());
                }
                m.check(line, "decode", hf.decode(expectedIds, false), ours.decode(expectedIds, false));
            }
        }
        m.assertNone();
    }
}
