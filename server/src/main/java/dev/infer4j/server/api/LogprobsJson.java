package dev.infer4j.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infer4j.engine.schedule.TokenLogprobs;
import dev.infer4j.server.api.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * OpenAI's two shapes of {@code logprobs}: chat's {@code {"content":[{token, logprob, bytes, top_logprobs}]}} and
 * the legacy completions' {@code {tokens, token_logprobs, top_logprobs, text_offset}}.
 */
final class LogprobsJson {
    private LogprobsJson() {
    }

    /**
     * @param textOffset characters of the choice's text before the first of these tokens (completions only)
     */
    static ObjectNode of(boolean chat, List<TokenLogprobs> tokens, TokenTexts texts, int textOffset) {
        return chat ? chat(tokens, texts) : completion(tokens, texts, textOffset);
    }

    private static ObjectNode chat(List<TokenLogprobs> tokens, TokenTexts texts) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode content = root.putArray("content");
        for (TokenLogprobs t : tokens) {
            ObjectNode entry = entry(content.addObject(), texts.text(t.token()), t.logprob());
            ArrayNode top = entry.putArray("top_logprobs");
            for (int i = 0; i < t.topTokens().length; i++) {
                entry(top.addObject(), texts.text(t.topTokens()[i]), t.topLogprobs()[i]);
            }
        }
        return root;
    }

    private static ObjectNode entry(ObjectNode node, String token, float logprob) {
        node.put("token", token).put("logprob", logprob);
        ArrayNode bytes = node.putArray("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        return node;
    }

    private static ObjectNode completion(List<TokenLogprobs> tokens, TokenTexts texts, int textOffset) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode names = root.putArray("tokens");
        ArrayNode logprobs = root.putArray("token_logprobs");
        ArrayNode tops = root.putArray("top_logprobs");
        ArrayNode offsets = root.putArray("text_offset");
        int offset = textOffset;
        for (TokenLogprobs t : tokens) {
            String text = texts.text(t.token());
            names.add(text);
            logprobs.add(t.logprob());
            ObjectNode top = tops.addObject();
            for (int i = 0; i < t.topTokens().length; i++) {
                top.put(texts.text(t.topTokens()[i]), t.topLogprobs()[i]);
            }
            offsets.add(offset);
            offset += text.length();
        }
        return root;
    }
}
