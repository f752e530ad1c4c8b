package dev.infer4j.server.http;

import java.util.Map;

/**
 * An error answered to the client in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}.
 * Route code throws these; {@link ErrorMapper} turns them (and every other failure) into responses.
 *
 * @param status  HTTP status
 * @param type    OpenAI error type ({@code invalid_request_error}, {@code rate_limit_error}, …)
 * @param code    machine-readable code, or null
 * @param param   the request field at fault, or null
 * @param headers extra response headers (e.g. {@code Retry-After})
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Map<String, String> headers;
    private final Map<String, Object> details;

    public ApiException(int status, String type, String code, String param, String message,
            Map<String, String> headers) {
        this(status, type, code, param, message, headers, Map.of());
    }

    /** @param details extra fields of the error object (llama.cpp's {@code n_prompt_tokens}, {@code n_ctx}) */
    public ApiException(int status, String type, String code, String param, String message,
            Map<String, String> headers, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.headers = Map.copyOf(headers);
        this.details = Map.copyOf(details);
    }

    public static ApiException badRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", null, param, message, Map.of());
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "invalid_request_error", "invalid_api_key", null, message,
                Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException modelNotFound(String model) {
        return new ApiException(404, "invalid_request_error", "model_not_found", "model",
                "the model '" + model + "' does not exist on this server", Map.of());
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "invalid_request_error", "not_found", null, message, Map.of());
    }

    public static ApiException bodyTooLarge(long limit) {
        return new ApiException(413, "invalid_request_error", "request_too_large", null,
                "the request body exceeds the limit of " + limit + " bytes", Map.of("Connection", "close"));
    }

    public static ApiException inputTooLong(String param, String message) {
        return new ApiException(422, "invalid_request_error", "context_length_exceeded", param, message, Map.of());
    }

    public static ApiException queueFull(String message) {
        return new ApiException(429, "rate_limit_error", "queue_full", null, message, Map.of("Retry-After", "1"));
    }

    public static ApiException unavailable(String code, String message) {
        return new ApiException(503, "server_error", code, null, message, Map.of("Retry-After", "1"));
    }

    /** A fault of the server: the client sees a generic message (and the request id header); the log has the rest. */
    public static ApiException internal(Throwable cause) {
        ApiException e = new ApiException(500, "server_error", "internal_error", null,
                "the server failed to process the request (" + cause.getClass().getSimpleName()
                        + "); the server log has the details under this request's X-Request-Id", Map.of());
        e.initCause(cause);
        return e;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Extra fields of the error object beside message, type, param and code. */
    public Map<String, Object> details() {
        return details;
    }
}
