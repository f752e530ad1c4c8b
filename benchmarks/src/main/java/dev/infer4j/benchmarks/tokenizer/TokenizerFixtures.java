package dev.infer4j.benchmarks.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.tokenizer.Tokenizer;
import dev.infer4j.tokenizer.Tokenizers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The tokenizers compared: all-MiniLM-L6-v2's WordPiece (tokenizer.json from the model jar) and GPT-2's byte-level
 * BPE (the GGUF vocabulary in {@code ../shared/models/llama.cpp-vocab}, given to DJL as the equivalent
 * tokenizer.json), each as ours and as Hugging Face's through DJL, without truncation or padding.
 */
final class TokenizerFixtures {

    private static final String MINILM = "all-minilm-l6-v2-tokenizer.json";
    private static final String GPT2_GGUF = "models/llama.cpp-vocab/ggml-vocab-gpt-2.gguf";

    record Pair(Tokenizer ours, HuggingFaceTokenizer reference) {
    }

    private TokenizerFixtures() {
    }

    static Pair load(String name) throws IOException {
        return switch (name) {
            case "wordpiece" -> wordPiece();
            case "bytelevel" -> byteLevel();
            default -> throw new IllegalArgumentException("unknown tokenizer " + name);
        };
    }

    private static Pair wordPiece() throws IOException {
        byte[] json;
        try (InputStream in = TokenizerFixtures.class.getClassLoader().getResourceAsStream(MINILM)) {
            if (in == null) {
                throw new IllegalStateException(MINILM + " is not on the class path (model jar missing)");
            }
            json = in.readAllBytes();
        }
        Tokenizer ours = Tokenizers.fromJson(new ByteArrayInputStream(json)).withoutTruncation().withoutPadding();
        return new Pair(ours, djl(json));
    }

    private static Pair byteLevel() throws IOException {
        Path shared = Path.of(System.getProperty("infer4j.shared.dir", "../shared"));
        Path file = shared.resolve(GPT2_GGUF);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing " + file.toAbsolutePath().normalize()
                    + " (run from the repository root, or set -Dinfer4j.shared.dir)");
        }
        Map<String, Object> metadata;
        try (GgufFile gguf = GgufFile.open(file)) {
            metadata = gguf.metadata();
        }
        return new Pair(Tokenizers.fromGguf(metadata), djl(gpt2Json(metadata)));
    }

    private static HuggingFaceTokenizer djl(byte[] json) throws IOException {
        return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                Map.of("truncation", "false", "padding", "false"));
    }

    /** GPT-2's tokenizer.json, rebuilt from the vocabulary and merges GGUF carries. */
    private static byte[] gpt2Json(Map<String, Object> metadata) {
        ObjectMapper mapper = new ObjectMapper();
        String[] tokens = (String[]) metadata.get("tokenizer.ggml.tokens");
        String[] merges = (String[]) metadata.get("tokenizer.ggml.merges");
        ObjectNode root = mapper.createObjectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode eot = added.addObject();
        eot.put("id", 50256).put("content", "<|endoftext|>").put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putObject("post_processor").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", false).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("unk_token");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < tokens.length; i++) {
            vocab.put(tokens[i], i);
        }
        ArrayNode m = model.putArray("merges");
        for (String merge : merges) {
            m.add(merge);
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
