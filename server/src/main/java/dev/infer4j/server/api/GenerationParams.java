package dev.infer4j.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.engine.generate.GenerationOptions;
import dev.infer4j.engine.generate.SamplingOptions;
import dev.infer4j.server.api.json.Fields;
import dev.infer4j.server.http.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The generation parameters shared by {@code /v1/completions} and {@code /v1/chat/completions}, validated with
 * OpenAI-style 400s naming the field. Defaults follow OpenAI (temperature 1, top-p 1, 16 tokens for completions).
 */
record GenerationParams(int maxTokens, boolean maxTokensGiven, int n, boolean stream, boolean includeUsage,
                        List<String> stop, SamplingOptions sampling, boolean ignoreEos, int topLogprobs) {
    private static final int MAX_N = 16;
    private static final int MAX_STOPS = 16;
    /** OpenAI's limits: 5 alternatives on the legacy completions, 20 in chat. */
    private static final int MAX_COMPLETION_LOGPROBS = 5;
    private static final int MAX_CHAT_TOP_LOGPROBS = 20;

    /** Whether log-probabilities were asked for. */
    boolean logprobs() {
        return topLogprobs >= 0;
    }

    static GenerationParams parse(JsonNode body, int defaultMaxTokens, boolean chat) {
        Integer max = Fields.positiveInt(body, "max_completion_tokens");
        if (max == null) {
            max = Fields.positiveInt(body, "max_tokens");
        }
        Integer nField = Fields.positiveInt(body, "n");
        int n = nField == null ? 1 : nField;
        if (n > MAX_N) {
            throw ApiException.badRequest("n", "'n' must be from 1 to " + MAX_N + ", got " + n);
        }
        boolean stream = Fields.bool(body, "stream", false);
        boolean includeUsage = false;
        JsonNode streamOptions = Fields.optional(body, "stream_options");
        if (streamOptions != null) {
            if (!streamOptions.isObject()) {
                throw ApiException.badRequest("stream_options", "'stream_options' must be an object, not "
                        + Fields.kind(streamOptions));
            }
            includeUsage = Fields.bool(streamOptions, "include_usage", false);
        }
        float temperature = number(body, "temperature", 1f, 0f, 2f, true);
        float topP = number(body, "top_p", 1f, 0f, 1f, false);
        int topK = nonNegativeInt(body, "top_k");
        float minP = number(body, "min_p", 0f, 0f, 1f, true);
        if (minP >= 1f) {
            throw ApiException.badRequest("min_p", "'min_p' must be from 0 to below 1, got " + minP);
        }
        float presence = number(body, "presence_penalty", 0f, -2f, 2f, true);
        float frequency = number(body, "frequency_penalty", 0f, -2f, 2f, true);
        float repetition = number(body, "repetition_penalty", 1f, 0f, 10f, false);
        long seed = seed(body);
        Map<Integer, Float> bias = logitBias(body);
        SamplingOptions sampling = new SamplingOptions(temperature, topK, topP, minP, repetition, presence, frequency,
                64, bias, seed);
        boolean ignoreEos = Fields.bool(body, "ignore_eos", false);
        Fields.string(body, "user", null); // accepted for compatibility
        return new GenerationParams(max == null ? defaultMaxTokens : max, max != null, n, stream, includeUsage,
                stops(body), sampling, ignoreEos, chat ? chatLogprobs(body) : completionLogprobs(body));
    }

    /** Legacy completions: {@code logprobs} is the number of alternatives (0 to 5), absent or null for none. */
    private static int completionLogprobs(JsonNode body) {
        JsonNode v = Fields.optional(body, "logprobs");
        if (v == null) {
            return -1;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > MAX_COMPLETION_LOGPROBS) {
            throw ApiException.badRequest("logprobs", "'logprobs' must be an integer from 0 to "
                    + MAX_COMPLETION_LOGPROBS + ", got " + v);
        }
        return v.intValue();
    }

    /** Chat: {@code logprobs} true turns them on; {@code top_logprobs} (0 to 20) asks for alternatives. */
    private static int chatLogprobs(JsonNode body) {
        boolean on = Fields.bool(body, "logprobs", false);
        JsonNode top = Fields.optional(body, "top_logprobs");
        if (top == null) {
            return on ? 0 : -1;
        }
        if (!top.isIntegralNumber() || !top.canConvertToInt() || top.intValue() < 0
                || top.intValue() > MAX_CHAT_TOP_LOGPROBS) {
            throw ApiException.badRequest("top_logprobs", "'top_logprobs' must be an integer from 0 to "
                    + MAX_CHAT_TOP_LOGPROBS + ", got " + top);
        }
        if (!on) {
            throw ApiException.badRequest("top_logprobs", "'top_logprobs' needs 'logprobs': true");
        }
        return top.intValue();
    }

    GenerationOptions options(int choice, int maxTokensNow) {
        SamplingOptions s = choice == 0 ? sampling : sampling.withSeed(sampling.seed() + choice);
        return new GenerationOptions(maxTokensNow, stop, s, ignoreEos);
    }

    /** A number in [min, max] (min excluded unless {@code minIncluded}). */
    private static float number(JsonNode body, String name, float fallback, float min, float max, boolean minIncluded) {
        JsonNode v = Fields.optional(body, name);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw ApiException.badRequest(name, "'" + name + "' must be a number, not " + Fields.kind(v));
        }
        double d = v.doubleValue();
        boolean ok = (minIncluded ? d >= min : d > min) && d <= max;
        if (!ok) {
            throw ApiException.badRequest(name, "'" + name + "' must be " + (minIncluded ? "from " + min : "above " + min)
                    + " to " + max + ", got " + v.asText());
        }
        return (float) d;
    }

    private static int nonNegativeInt(JsonNode body, String name) {
        JsonNode v = Fields.optional(body, name);
        if (v == null) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw ApiException.badRequest(name, "'" + name + "' must be an integer >= 0, got " + v.asText());
        }
        return v.intValue();
    }

    private static long seed(JsonNode body) {
        JsonNode v = Fields.optional(body, "seed");
        if (v == null) {
            return System.nanoTime();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badRequest("seed", "'seed' must be an integer, not " + Fields.kind(v));
        }
        return v.longValue();
    }

    private static List<String> stops(JsonNode body) {
        JsonNode v = Fields.optional(body, "stop");
        List<String> stops = new ArrayList<>();
        if (v == null) {
            return stops;
        }
        if (v.isTextual()) {
            stops.add(v.textValue());
        } else if (v.isArray()) {
            if (v.size() > MAX_STOPS) {
                throw ApiException.badRequest("stop", "'stop' holds at most " + MAX_STOPS + " strings, got " + v.size());
            }
            for (JsonNode s : v) {
                if (!s.isTextual()) {
                    throw ApiException.badRequest("stop", "'stop' must hold strings, not " + Fields.kind(s));
                }
                stops.add(s.textValue());
            }
        } else {
            throw ApiException.badRequest("stop", "'stop' must be a string or an array of strings, not " + Fields.kind(v));
        }
        for (String s : stops) {
            if (s.isEmpty()) {
                throw ApiException.badRequest("stop", "stop strings must not be empty");
            }
        }
        return stops;
    }

    private static Map<Integer, Float> logitBias(JsonNode body) {
        JsonNode v = Fields.optional(body, "logit_bias");
        Map<Integer, Float> bias = new HashMap<>();
        if (v == null) {
            return bias;
        }
        if (!v.isObject()) {
            throw ApiException.badRequest("logit_bias", "'logit_bias' must be an object of token id to bias, not "
                    + Fields.kind(v));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw ApiException.badRequest("logit_bias", "'logit_bias' keys must be token ids, got '" + e.getKey() + "'");
            }
            if (id < 0 || !e.getValue().isNumber() || e.getValue().doubleValue() < -100 || e.getValue().doubleValue() > 100) {
                throw ApiException.badRequest("logit_bias", "'logit_bias' maps token ids >= 0 to numbers from -100 to 100; got "
                        + e.getKey() + ": " + e.getValue());
            }
            bias.put(id, e.getValue().floatValue());
        }
        return bias;
    }
}
