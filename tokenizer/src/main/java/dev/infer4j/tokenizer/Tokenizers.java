package dev.infer4j.tokenizer;

import dev.infer4j.tokenizer.gguf.GgufTokenizerReader;
import dev.infer4j.tokenizer.json.TokenizerJsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Loads tokenizers from Hugging Face {@code tokenizer.json} files and from GGUF metadata. */
public final class Tokenizers {

    private Tokenizers() {
    }

    /** Reads a Hugging Face {@code tokenizer.json}. */
    public static Tokenizer fromJson(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer file " + file, e);
        }
    }

    /** Reads a Hugging Face {@code tokenizer.json} from a stream (not closed). */
    public static Tokenizer fromJson(InputStream json) {
        return TokenizerJsonReader.read(json);
    }

    /**
     * Builds the tokenizer described by the {@code tokenizer.ggml.*} keys of GGUF metadata. Values are represented as
     * the GGUF reader gives them: integers as {@link Long}, floats as {@link Float}/{@link Double}, booleans as
     * {@link Boolean}, strings as {@link String}; arrays as {@code int[]} (8/16-bit and int32), {@code long[]}
     * (uint32, 64-bit), {@code float[]}, {@code double[]}, {@code boolean[]}, {@code String[]}.
     */
    public static Tokenizer fromGguf(Map<String, Object> metadata) {
        return GgufTokenizerReader.read(metadata);
    }
}
