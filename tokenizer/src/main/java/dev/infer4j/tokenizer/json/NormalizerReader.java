package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.normalize.BertNormalizer;
import dev.infer4j.tokenizer.normalize.LowercaseNormalizer;
import dev.infer4j.tokenizer.normalize.Normalizer;
import dev.infer4j.tokenizer.normalize.PrependNormalizer;
import dev.infer4j.tokenizer.normalize.ReplaceNormalizer;
import dev.infer4j.tokenizer.normalize.SequenceNormalizer;
import dev.infer4j.tokenizer.normalize.StripAccentsNormalizer;
import dev.infer4j.tokenizer.normalize.StripNormalizer;
import dev.infer4j.tokenizer.normalize.UnicodeNormalizer;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.List;

/** Builds normalizers from the {@code normalizer} section of tokenizer.json. */
final class NormalizerReader {

    private NormalizerReader() {
    }

    static Normalizer read(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = Json.type(node, path);
        return switch (type) {
            case "BertNormalizer" -> new BertNormalizer(
                    Json.bool(node, "clean_text", path, true),
                    Json.bool(node, "handle_chinese_chars", path, true),
                    Json.optionalBool(node, "strip_accents", path),
                    Json.bool(node, "lowercase", path, true));
            case "Lowercase" -> new LowercaseNormalizer();
            case "StripAccents" -> new StripAccentsNormalizer();
            case "NFC" -> new UnicodeNormalizer(Form.NFC);
            case "NFD" -> new UnicodeNormalizer(Form.NFD);
            case "NFKC" -> new UnicodeNormalizer(Form.NFKC);
            case "NFKD" -> new UnicodeNormalizer(Form.NFKD);
            case "Replace" -> new ReplaceNormalizer(PatternReader.read(Json.required(node, "pattern", path),
                    path + ".pattern"), Json.text(node, "content", path));
            case "Prepend" -> new PrependNormalizer(Json.text(node, "prepend", path));
            case "Strip" -> new StripNormalizer(Json.bool(node, "strip_left", path, true),
                    Json.bool(node, "strip_right", path, true));
            case "Sequence" -> {
                JsonNode items = Json.array(node, "normalizers", path);
                List<Normalizer> list = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    Normalizer n = read(items.get(i), path + ".normalizers[" + i + "]");
                    if (n != null) {
                        list.add(n);
                    }
                }
                yield new SequenceNormalizer(list);
            }
            case "Precompiled" -> PrecompiledReader.read(node, path);
            default -> throw new TokenizerFormatException(path + ".type", "unsupported normalizer '" + type + "'");
        };
    }
}
