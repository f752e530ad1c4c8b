package dev.infer4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.infer4j.tokenizer.testing.GgufMetadataFixture;
import dev.infer4j.tokenizer.testing.Mismatches;
import dev.infer4j.tokenizer.testing.Resources;
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
 * Every GGUF vocabulary in {@code ../shared/models/llama.cpp-vocab} against the ids Hugging Face produced for its test
 * strings ({@code .inp} / {@code .out}, encoded without special tokens). bert-bge's reference is HF too, which differs
 * from llama.cpp's own WordPiece.
 */
class GgufVocabParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"bert-bge", "gpt-2", "llama-spm", "phi-3", "deepseek-coder", "deepseek-llm", "falcon", "mpt",
        "refact", "starcoder"})
    void idsMatchHuggingFace(String vocab) throws IOException {
        Path dir = Resources.shared("models/llama.cpp-vocab");
        Tokenizer tokenizer = Tokenizers.fromGguf(GgufMetadataFixture.read(Resources.shared(
                "models/llama.cpp-vocab/ggml-vocab-" + vocab + ".gguf")));
        List<String> inputs = inputs(dir.resolve("ggml-vocab-" + vocab + ".gguf.inp"));
        List<String> outputs = Files.readAllLines(dir.resolve("ggml-vocab-" + vocab + ".gguf.out"),
                StandardCharsets.UTF_8);
        assertEquals(outputs.size(), inputs.size(), "test strings and expected outputs differ in number");
        Mismatches m = new Mismatches(vocab + " GGUF vocabulary vs HF ids");
        for (int i = 0; i < inputs.size(); i++) {
            int[] expected = Arrays.stream(outputs.get(i).trim().split(" ")).filter(s -> !s.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
            m.check(inputs.get(i), "ids", expected, tokenizer.encode(inputs.get(i), false).ids());
        }
        m.assertNone();
    }

    /** The test strings, separated by {@code \n__ggml_vocab_test__\n} (also after the last one). */
    static List<String> inputs(Path file) throws IOException {
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
