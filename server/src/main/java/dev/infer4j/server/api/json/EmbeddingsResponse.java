package dev.infer4j.server.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of an OpenAI {@code POST /v1/embeddings} answer. */
public record EmbeddingsResponse(String object, List<Item> data, String model, Usage usage) {

    public EmbeddingsResponse(List<Item> data, String model, Usage usage) {
        this("list", data, model, usage);
    }

    /** @param embedding a {@code float[]}, or a base64 string of little-endian float32 values */
    public record Item(String object, Object embedding, int index) {
        public Item(Object embedding, int index) {
            this("embedding", embedding, index);
        }
    }

    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("total_tokens") int totalTokens) {
    }
}
