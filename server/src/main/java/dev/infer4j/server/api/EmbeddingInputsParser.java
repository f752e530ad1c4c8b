package dev.infer4j.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.server.api.json.Fields;
import dev.infer4j.server.http.ApiException;
import dev.infer4j.server.model.EmbeddingInputs;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the inputs of an embedding request as OpenAI and TEI accept them: a string, an array of strings, an array
 * of token ids (one input), or an array of token-id arrays. Anything else is a 400 naming the offending element.
 */
final class EmbeddingInputsParser {
    private static final String SHAPES = "a string, an array of strings, an array of token ids, "
            + "or an array of token-id arrays";

    private final String param;
    private final int maxInputs;

    EmbeddingInputsParser(String param, int maxInputs) {
        this.param = param;
        this.maxInputs = maxInputs;
    }

    EmbeddingInputs parse(JsonNode body) {
        JsonNode input = Fields.required(body, param);
        if (input.isTextual()) {
            return new EmbeddingInputs.Texts(List.of(text(input, param)));
        }
        if (!input.isArray()) {
            throw bad(param, "'" + param + "' must be " + SHAPES + ", not " + Fields.kind(input));
        }
        if (input.isEmpty()) {
            throw bad(param, "'" + param + "' must not be empty");
        }
        JsonNode first = input.get(0);
        if (first.isTextual()) {
            checkCount(input.size());
            List<String> texts = new ArrayList<>(input.size());
            for (int i = 0; i < input.size(); i++) {
                texts.add(text(element(input, i, JsonNode::isTextual, "a string"), param + "[" + i + "]"));
            }
            return new EmbeddingInputs.Texts(texts);
        }
        if (first.isNumber()) {
            return new EmbeddingInputs.TokenIds(List.of(tokenIds(input, param)));
        }
        if (first.isArray()) {
            checkCount(input.size());
            List<int[]> ids = new ArrayList<>(input.size());
            for (int i = 0; i < input.size(); i++) {
                ids.add(tokenIds(element(input, i, JsonNode::isArray, "an array of token ids"),
                        param + "[" + i + "]"));
            }
            return new EmbeddingInputs.TokenIds(ids);
        }
        throw bad(param, "'" + param + "' must be " + SHAPES + "; " + param + "[0] is " + Fields.kind(first));
    }

    private void checkCount(int n) {
        if (n > maxInputs) {
            throw bad(param, "'" + param + "' has " + n + " inputs; at most " + maxInputs + " are allowed per request");
        }
    }

    private JsonNode element(JsonNode array, int i, java.util.function.Predicate<JsonNode> ok, String expected) {
        JsonNode e = array.get(i);
        if (!ok.test(e)) {
            throw bad(param, param + "[" + i + "] must be " + expected + " like " + param + "[0], not "
                    + Fields.kind(e));
        }
        return e;
    }

    private String text(JsonNode node, String where) {
        String s = node.textValue();
        if (s.isEmpty()) {
            throw bad(param, where + " is an empty string; there is nothing to embed");
        }
        return s;
    }

    private int[] tokenIds(JsonNode array, String where) {
        if (array.isEmpty()) {
            throw bad(param, where + " is an empty array of token ids");
        }
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
                throw bad(param, where + "[" + i + "] must be a token id (a non-negative integer), not "
                        + (id.isNumber() ? id.asText() : Fields.kind(id)));
            }
            ids[i] = id.intValue();
        }
        return ids;
    }

    private static ApiException bad(String param, String message) {
        return ApiException.badRequest(param, message);
    }
}
