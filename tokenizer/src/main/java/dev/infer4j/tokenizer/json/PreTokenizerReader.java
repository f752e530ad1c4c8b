package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.tokenizer.TokenizerFormatException;
import dev.infer4j.tokenizer.pretokenize.BertPreTokenizer;
import dev.infer4j.tokenizer.pretokenize.ByteLevelPreTokenizer;
import dev.infer4j.tokenizer.pretokenize.CharClassPreTokenizer;
import dev.infer4j.tokenizer.pretokenize.MetaspacePreTokenizer;
import dev.infer4j.tokenizer.pretokenize.PreTokenizer;
import dev.infer4j.tokenizer.pretokenize.SequencePreTokenizer;
import dev.infer4j.tokenizer.pretokenize.SplitBehavior;
import dev.infer4j.tokenizer.pretokenize.SplitPreTokenizer;
import dev.infer4j.tokenizer.pretokenize.WhitespacePreTokenizer;
import java.util.ArrayList;
import java.util.List;

/** Builds pre-tokenizers from the {@code pre_tokenizer} section of tokenizer.json. */
final class PreTokenizerReader {

    private PreTokenizerReader() {
    }

    /** A {@code behavior} field; {@code fallback == null} makes it required. */
    private static SplitBehavior behavior(JsonNode node, String path, SplitBehavior fallback) {
        String value = fallback == null ? Json.text(node, "behavior", path) : Json.text(node, "behavior", path, null);
        if (value == null) {
            return fallback;
        }
        return switch (value) {
            case "Removed" -> SplitBehavior.REMOVED;
            case "Isolated" -> SplitBehavior.ISOLATED;
            case "MergedWithPrevious" -> SplitBehavior.MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> SplitBehavior.MERGED_WITH_NEXT;
            case "Contiguous" -> SplitBehavior.CONTIGUOUS;
            default -> throw new TokenizerFormatException(path + ".behavior", "unknown split behavior '" + value + "'");
        };
    }

    static PreTokenizer read(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = Json.type(node, path);
        return switch (type) {
            case "BertPreTokenizer" -> new BertPreTokenizer();
            case "ByteLevel" -> new ByteLevelPreTokenizer(Json.bool(node, "add_prefix_space", path, true),
                    Json.bool(node, "use_regex", path, true));
            case "Whitespace" -> new WhitespacePreTokenizer();
            case "WhitespaceSplit" -> CharClassPreTokenizer.whitespaceSplit();
            case "Punctuation" -> CharClassPreTokenizer.punctuation(behavior(node, path, SplitBehavior.ISOLATED));
            case "Digits" -> CharClassPreTokenizer.digits(Json.bool(node, "individual_digits", path, false));
            case "CharDelimiterSplit" -> CharClassPreTokenizer.charDelimiter(Json.codePoint(node, "delimiter", path));
            case "Metaspace" -> new MetaspacePreTokenizer(Json.codePoint(node, "replacement", path),
                    switch (MetaspaceOptions.prependScheme(node, path)) {
                        case FIRST -> MetaspacePreTokenizer.PrependScheme.FIRST;
                        case NEVER -> MetaspacePreTokenizer.PrependScheme.NEVER;
                        case ALWAYS -> MetaspacePreTokenizer.PrependScheme.ALWAYS;
                    },
                    Json.bool(node, "split", path, true));
            case "Split" -> new SplitPreTokenizer(PatternReader.read(Json.required(node, "pattern", path),
                    path + ".pattern"), behavior(node, path, null), Json.bool(node, "invert", path, false));
            case "Sequence" -> {
                JsonNode items = Json.array(node, "pretokenizers", path);
                List<PreTokenizer> list = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    PreTokenizer p = read(items.get(i), path + ".pretokenizers[" + i + "]");
                    if (p != null) {
                        list.add(p);
                    }
                }
                yield new SequencePreTokenizer(list);
            }
            default -> throw new TokenizerFormatException(path + ".type", "unsupported pre-tokenizer '" + type + "'");
        };
    }
}
