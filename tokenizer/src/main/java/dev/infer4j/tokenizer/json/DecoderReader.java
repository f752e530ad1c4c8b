package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.decode.BpeSuffixDecoder;
import dev.infer4j.tokenizer.decode.ByteFallbackDecoder;
import dev.infer4j.tokenizer.decode.ByteLevelDecoder;
import dev.infer4j.tokenizer.decode.Decoder;
import dev.infer4j.tokenizer.decode.FuseDecoder;
import dev.infer4j.tokenizer.decode.MetaspaceDecoder;
import dev.infer4j.tokenizer.decode.ReplaceDecoder;
import dev.infer4j.tokenizer.decode.SequenceDecoder;
import dev.infer4j.tokenizer.decode.StripDecoder;
import dev.infer4j.tokenizer.decode.WordPieceDecoder;
import java.util.ArrayList;
import java.util.List;

/** Builds decoders from the {@code decoder} section of tokenizer.json. */
final class DecoderReader {

    private DecoderReader() {
    }

    static Decoder read(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = Json.type(node, path);
        return switch (type) {
            case "WordPiece" -> new WordPieceDecoder(Json.text(node, "prefix", path, "##"),
                    Json.bool(node, "cleanup", path, true));
            case "ByteLevel" -> new ByteLevelDecoder();
            case "ByteFallback" -> new ByteFallbackDecoder();
            case "Fuse" -> new FuseDecoder();
            case "Strip" -> new StripDecoder(Json.codePoint(node, "content", path),
                    Json.nonNegativeInt(node, "start", path, 0), Json.nonNegativeInt(node, "stop", path, 0));
            case "Metaspace" -> new MetaspaceDecoder(Json.codePoint(node, "replacement", path),
                    MetaspaceOptions.prependScheme(node, path) != MetaspaceOptions.Scheme.NEVER);
            case "Replace" -> new ReplaceDecoder(PatternReader.read(Json.required(node, "pattern", path),
                    path + ".pattern"), Json.text(node, "content", path));
            case "BPEDecoder" -> new BpeSuffixDecoder(Json.text(node, "suffix", path, "</w>"));
            case "Sequence" -> {
                JsonNode items = Json.array(node, "decoders", path);
                List<Decoder> list = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    Decoder d = read(items.get(i), path + ".decoders[" + i + "]");
                    if (d != null) {
                        list.add(d);
                    }
                }
                yield new SequenceDecoder(list);
            }
            default -> throw new TokenizerFormatException(path + ".type", "unsupported decoder '" + type + "'");
        };
    }
}
