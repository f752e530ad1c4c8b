package dev.infer4j.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infer4j.engine.generate.FinishReason;
import dev.infer4j.engine.generate.GenerationResult;
import dev.infer4j.server.api.json.Json;

/** The parts of OpenAI completion responses and chunks that whole answers and streams share. */
final class CompletionJson {
    private CompletionJson() {
    }

    static ObjectNode header(CompletionRoutes.Call call, String object) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", call.id()).put("object", object).put("created", call.created()).put("model", call.model().id());
        root.put("system_fingerprint", "infer4j");
        return root;
    }

    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case END_OF_SEQUENCE, STOP_STRING -> "stop";
            case MAX_TOKENS, CONTEXT_FULL -> "length";
        };
    }

    /** @param cachedTokens prompt tokens whose keys and values were reused from an earlier request (prefix reuse) */
    static void usage(ObjectNode root, int promptTokens, int completionTokens, int cachedTokens) {
        ObjectNode usage = root.putObject("usage").put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens).put("total_tokens", promptTokens + completionTokens);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
    }

    /** llama.cpp-style timings of the first choice: {@code prompt_n} counts the prompt tokens computed, {@code cache_n} those reused. */
    static void timings(ObjectNode root, GenerationResult r) {
        double promptMs = r.promptNanos() / 1e6;
        double predictedMs = r.generationNanos() / 1e6;
        int computed = r.promptTokens() - r.reusedTokens();
        root.putObject("timings").put("cache_n", r.reusedTokens()).put("prompt_n", computed).put("prompt_ms", promptMs)
                .put("prompt_per_second", promptMs == 0 ? 0 : computed * 1000 / promptMs)
                .put("predicted_n", r.tokens().length).put("predicted_ms", predictedMs)
                .put("predicted_per_second", r.generatedTokensPerSecond());
    }
}
