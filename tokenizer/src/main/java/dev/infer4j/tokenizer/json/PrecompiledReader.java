package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.normalize.Normalizer;

/** Reads SentencePiece's precompiled normalization map. */
final class PrecompiledReader {

    private PrecompiledReader() {
    }

    static Normalizer read(JsonNode node, String path) {
        throw new TokenizerFormatException(path + ".type", "the Precompiled normalizer is not supported yet");
    }
}
