package dev.infer4j.tokenizer.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.tokenizer.TokenizerFormatException;

/** The prepend scheme of a Metaspace section, from {@code prepend_scheme} or the older {@code add_prefix_space}. */
final class MetaspaceOptions {

    enum Scheme { FIRST, NEVER, ALWAYS }

    private MetaspaceOptions() {
    }

    static Scheme prependScheme(JsonNode node, String path) {
        String scheme = Json.text(node, "prepend_scheme", path, "always");
        Scheme s = switch (scheme) {
            case "first" -> Scheme.FIRST;
            case "never" -> Scheme.NEVER;
            case "always" -> Scheme.ALWAYS;
            default -> throw new TokenizerFormatException(path + ".prepend_scheme",
                    "must be first, never or always, got '" + scheme + "'");
        };
        Boolean addPrefixSpace = Json.optionalBool(node, "add_prefix_space", path);
        if (Boolean.FALSE.equals(addPrefixSpace)) {
            if (node.has("prepend_scheme") && s != Scheme.NEVER) {
                throw new TokenizerFormatException(path + ".add_prefix_space",
                        "false contradicts prepend_scheme '" + scheme + "'");
            }
            s = Scheme.NEVER;
        }
        return s;
    }
}
