package dev.infer4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.tokenizer.testing.Resources;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed or unsupported tokenizer descriptions fail with a {@link TokenizerFormatException} naming the field and the
 * problem; impossible parameters fail with {@link IllegalArgumentException}.
 */
class BadInputTest {

    private static final String WORDPIECE = "\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\","
            + " \"vocab\": {\"[UNK]\": 0, \"a\": 1, \"##b\": 2}}";

    private static TokenizerFormatException jsonFails(String json) {
        return assertThrows(TokenizerFormatException.class,
                () -> Tokenizers.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"model\": `|tokenizer.json",
        "`[1, 2]`|tokenizer.json",
        "`{}`|model",
        "`{\"model\": {\"type\": \"Magic\", \"vocab\": {}}}`|model.type",
        "`{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": {}}}`|model.vocab",
        "`{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": {\"a\": -1}}}`|model.vocab[\"a\"]",
        "`{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": {\"a\": 0, \"b\": 0}}}`|model.vocab[\"b\"]",
        "`{\"model\": {\"type\": \"WordPiece\", \"unk_token\": \"<unk>\", \"vocab\": {\"a\": 0}}}`|model.unk_token",
        "`{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1}, \"merges\": [\"a c\"]}}`|model.merges[0]",
        "`{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1}, \"merges\": [\"a b\"]}}`|model.merges[0]",
        "`{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"ab\"]}}`|model.merges[0]",
        "`{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [], \"dropout\": 0.1}}`|model.dropout",
        "`{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\"]]}}`|model.vocab[0]",
        "`{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", 0.0]], \"unk_id\": 5}}`|model.unk_id",
        "`{\"normalizer\": {\"type\": \"Sparkle\"}, " + WORDPIECE + "}`|normalizer.type",
        "`{\"normalizer\": {\"type\": \"Replace\", \"pattern\": {\"Regex\": \"(\"}, \"content\": \"\"}, " + WORDPIECE
                + "}`|normalizer.pattern.Regex",
        "`{\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"String\": \" \"}, \"behavior\": \"Sideways\"}, "
                + WORDPIECE + "}`|pre_tokenizer.behavior",
        "`{\"pre_tokenizer\": {\"type\": \"Metaspace\", \"replacement\": \"ab\"}, " + WORDPIECE
                + "}`|pre_tokenizer.replacement",
        "`{\"post_processor\": {\"type\": \"TemplateProcessing\", \"single\": [{\"SpecialToken\": {\"id\": \"[X]\","
                + " \"type_id\": 0}}], \"pair\": [], \"special_tokens\": {}}, " + WORDPIECE
                + "}`|post_processor.special_tokens",
        "`{\"decoder\": {\"type\": \"Strip\", \"content\": \" \", \"start\": -1, \"stop\": 0}, " + WORDPIECE
                + "}`|decoder.start",
        "`{\"truncation\": {\"max_length\": 4, \"stride\": 4}, " + WORDPIECE + "}`|truncation.stride",
        "`{\"truncation\": {\"max_length\": 4, \"strategy\": \"Random\"}, " + WORDPIECE + "}`|truncation.strategy",
        "`{\"padding\": {\"strategy\": \"Huge\"}, " + WORDPIECE + "}`|padding.strategy",
        "`{\"added_tokens\": [{\"content\": \"x\"}], " + WORDPIECE + "}`|added_tokens[0].id",
    })
    void malformedTokenizerJsonNamesTheField(String json, String field) {
        TokenizerFormatException e = jsonFails(json);
        assertTrue(e.getMessage().startsWith(field + ":"), () -> "expected the message to name " + field + ": "
                + e.getMessage());
    }

    private static Map<String, Object> gpt2Like() {
        Map<String, Object> m = new HashMap<>();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.pre", "gpt-2");
        m.put("tokenizer.ggml.tokens", new String[] {"a", "b", "ab"});
        m.put("tokenizer.ggml.token_type", new int[] {1, 1, 1});
        m.put("tokenizer.ggml.merges", new String[] {"a b"});
        return m;
    }

    private static void ggufFails(Map<String, Object> metadata, String field) {
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> Tokenizers.fromGguf(metadata));
        assertTrue(e.getMessage().startsWith(field + ":"), () -> "expected the message to name " + field + ": "
                + e.getMessage());
    }

    @Test
    void validHandMadeGgufVocabularyWorks() {
        assertTrue(Tokenizers.fromGguf(gpt2Like()).encode("ab", false).ids()[0] == 2);
    }

    @Test
    void malformedGgufVocabularyNamesTheKey() {
        Map<String, Object> m = gpt2Like();
        m.remove("tokenizer.ggml.model");
        ggufFails(m, "tokenizer.ggml.model");

        m = gpt2Like();
        m.put("tokenizer.ggml.model", "rwkv");
        ggufFails(m, "tokenizer.ggml.model");

        m = gpt2Like();
        m.put("tokenizer.ggml.tokens", new long[] {1, 2});
        ggufFails(m, "tokenizer.ggml.tokens");

        m = gpt2Like();
        m.put("tokenizer.ggml.tokens", new String[0]);
        ggufFails(m, "tokenizer.ggml.tokens");

        m = gpt2Like();
        m.put("tokenizer.ggml.token_type", new int[] {1, 1});
        ggufFails(m, "tokenizer.ggml.token_type");

        m = gpt2Like();
        m.put("tokenizer.ggml.token_type", new int[] {1, 9, 1});
        ggufFails(m, "tokenizer.ggml.token_type[1]");

        m = gpt2Like();
        m.put("tokenizer.ggml.pre", "martian");
        ggufFails(m, "tokenizer.ggml.pre");

        m = gpt2Like();
        m.put("tokenizer.ggml.merges", new String[] {"a c"});
        ggufFails(m, "tokenizer.ggml.merges[0]");

        m = gpt2Like();
        m.put("tokenizer.ggml.merges", new String[] {"ab"});
        ggufFails(m, "tokenizer.ggml.merges[0]");

        m = gpt2Like();
        m.put("tokenizer.ggml.bos_token_id", 7L);
        ggufFails(m, "tokenizer.ggml.bos_token_id");

        m = gpt2Like();
        m.put("tokenizer.ggml.bos_token_id", "zero");
        ggufFails(m, "tokenizer.ggml.bos_token_id");

        m = gpt2Like();
        m.put("tokenizer.ggml.add_bos_token", true);
        ggufFails(m, "tokenizer.ggml.bos_token_id");

        m = gpt2Like();
        m.put("tokenizer.ggml.model", "llama");
        ggufFails(m, "tokenizer.ggml.scores");

        m = gpt2Like();
        m.put("tokenizer.ggml.model", "llama");
        m.put("tokenizer.ggml.scores", new float[] {0f});
        ggufFails(m, "tokenizer.ggml.scores");

        ggufFails(null, "metadata");
    }

    @Test
    void impossibleParametersAreRejected() {
        Tokenizer minilm = Tokenizers.fromJson(Resources.open(Resources.MINILM));
        assertThrows(IllegalArgumentException.class, () -> Truncation.of(0));
        assertThrows(IllegalArgumentException.class, () -> new Truncation(8, Truncation.Strategy.LONGEST_FIRST,
                Truncation.Direction.RIGHT, 8));
        assertThrows(IllegalArgumentException.class, () -> Padding.fixed(0, 0, "[PAD]"));
        // two special tokens do not fit in one
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> minilm.withTruncation(Truncation.of(1)).encode("hello", true));
        assertTrue(e.getMessage().contains("special tokens"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> minilm.encodePairBatch(java.util.List.of("a"), java.util.List.of(), true));
        assertThrows(NullPointerException.class, () -> minilm.encode(null, true));
    }
}
