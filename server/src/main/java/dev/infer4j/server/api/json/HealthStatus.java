package dev.infer4j.server.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of {@code GET /health}: {@code ok}, {@code loading}, {@code draining} or {@code failed}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthStatus(String status, String message) {
}
