package dev.infer4j.models.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.infer4j.models.testing.SharedModels;
import dev.infer4j.tokenizer.Tokenizer;
import dev.infer4j.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tokenizer built from each vocabulary-only GGUF of {@code shared/models/llama.cpp-vocab} (read with
 * {@link GgufFile}) gives exactly the ids Hugging Face gave for the test strings ({@code .inp} / {@code .out}, encoded
 * without special tokens). For bert-bge the reference is HF too, whose WordPiece differs from llama.cpp's.
 */
class GgufVocabTokenizerTest {

    @ParameterizedTest
    @ValueSource(strings = {"bert-bge", "gpt-2", "llama-spm", "phi-3", "deepseek-coder", "deepseek-llm", "falcon", "mpt",
        "refact", "starcoder"})
    void everyTestStringGivesHuggingFacesIds(String vocab) throws IOException {
        String base = "models/llama.cpp-vocab/ggml-vocab-" + vocab + ".gguf";
        Tokenizer tokenizer;
        try (GgufFile file = GgufFile.open(SharedModels.file(base))) {
            tokenizer = Tokenizers.fromGguf(file.metadata());
        }
        List<String> inputs = inputs(SharedModels.file(base + ".inp"));
        List<String> outputs = Files.readAllLines(SharedModels.file(base + ".out"), StandardCharsets.UTF_8);
        assertEquals(outputs.size(), inputs.size(), "test strings and expected outputs differ in number");
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            int[] expected = Arrays.stream(outputs.get(i).trim().split(" ")).filter(s -> !s.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
            int[] actual = tokenizer.encode(inputs.get(i), false).ids();
            if (!Arrays.equals(expected, actual)) {
                mismatches.add("string " + i + " " + inputs.get(i).replace("\n", "\\n") + "\n  expected "
                        + Arrays.toString(expected) + "\n  actual   " + Arrays.toString(actual));
            }
        }
        if (!mismatches.isEmpty()) {
            fail(vocab + ": " + mismatches.size() + " of " + inputs.size() + " strings differ:\n"
                    + String.join("\n", mismatches));
        }
    }

    /** The test strings, each followed by {@code \n__ggml_vocab_test__\n}. */
    private static List<String> inputs(Path file) throws IOException {
        String all = Files.readString(file, StandardCharsets.UTF_8);
        String separator = "\n__ggml_vocab_test__\n";
        List<String> inputs = new ArrayList<>();
        int from = 0;
        for (int at = all.indexOf(separator); at >= 0; at = all.indexOf(separator, from)) {
            inputs.add(all.substring(from, at));
            from = at + separator.length();
        }
        return inputs;
    }
}
