package dev.infer4j.server.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of OpenAI's {@code GET /v1/models}. */
public record ModelList(String object, List<Card> data) {

    public ModelList(List<Card> data) {
        this("list", data);
    }

    /** One model; the extra fields say what kind of model it is and how long an input it takes. */
    public record Card(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
            String kind, int dimensions, @JsonProperty("max_input_tokens") int maxInputTokens) {
    }
}
