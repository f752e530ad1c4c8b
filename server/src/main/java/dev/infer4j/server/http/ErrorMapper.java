package dev.infer4j.server.http;

import dev.infer4j.engine.embed.InputTooLongException;
import dev.infer4j.engine.schedule.DeadlineExceededException;
import dev.infer4j.engine.schedule.QueueFullException;
import dev.infer4j.engine.schedule.SchedulerClosedException;
import dev.infer4j.server.api.json.ErrorBody;
import dev.infer4j.server.api.json.Json;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRouting;
import java.io.UncheckedIOException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses, all in OpenAI's error shape. Bad input is a 4xx naming the
 * problem; only a fault of the server itself is a 500, logged with the request id and stack trace.
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    public static void register(JavalinDefaultRouting router) {
        router.exception(Exception.class, (e, ctx) -> respond(ctx, toApiException(e, null)));
        // Javalin's own answers (no route, wrong method, …) are plain text: give them our shape too
        for (int status = 400; status < 600; status++) {
            router.error(status, ErrorMapper::reshapeJavalinError);
        }
    }

    /**
     * What a failure means to the client.
     *
     * @param param the request field holding the inputs, named in input errors (null when unknown)
     */
    public static ApiException toApiException(Throwable failure, String param) {
        Throwable e = unwrap(failure);
        return switch (e) {
            case ApiException api -> api;
            case InputTooLongException tooLong -> ApiException.inputTooLong(param, tooLong.getMessage());
            case QueueFullException full -> ApiException.queueFull(full.getMessage());
            case TimeoutException timeout -> ApiException.unavailable("timeout",
                    "the request timed out waiting for the model; retry later or send fewer inputs");
            case SchedulerClosedException closed -> ApiException.unavailable("shutting_down", closed.getMessage());
            case DeadlineExceededException late -> ApiException.unavailable("timeout", late.getMessage()
                    + "; retry later or ask for fewer tokens");
            case HttpResponseException http -> new ApiException(http.getStatus(),
                    http.getStatus() >= 500 ? "server_error" : "invalid_request_error", null, null,
                    http.getMessage(), Map.of());
            // the engine rejects inputs it cannot take (unknown token id, bad option) with these
            case IllegalArgumentException bad -> ApiException.badRequest(param, bad.getMessage());
            case UnsupportedOperationException unsupported -> ApiException.badRequest(param,
                    unsupported.getMessage());
            case UncheckedIOException io -> ApiException.badRequest(null,
                    "could not read the request: " + io.getCause().getMessage());
            default -> ApiException.internal(e);
        };
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static void reshapeJavalinError(Context ctx) {
        String contentType = ctx.res().getContentType();
        if (contentType != null && contentType.startsWith("application/json")) {
            return; // already ours
        }
        int status = ctx.statusCode();
        String message = switch (status) {
            case 404 -> "no route " + ctx.method() + " " + ctx.path();
            case 405 -> "the method " + ctx.method() + " is not allowed on " + ctx.path();
            default -> ctx.result() != null && !ctx.result().isBlank() ? ctx.result() : "HTTP " + status;
        };
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            default -> null;
        };
        respond(ctx, new ApiException(status, status >= 500 ? "server_error" : "invalid_request_error", code, null,
                message, Map.of()));
    }

    /** The JSON error object of {@code e}, its details included. */
    public static Object body(ApiException e) {
        ErrorBody body = ErrorBody.of(e.getMessage(), e.type(), e.param(), e.code());
        if (e.details().isEmpty()) {
            return body;
        }
        ObjectNode tree = Json.MAPPER.valueToTree(body);
        ObjectNode error = (ObjectNode) tree.get("error");
        new TreeMap<>(e.details()).forEach((k, v) -> error.set(k, Json.MAPPER.valueToTree(v)));
        return tree;
    }

    public static void respond(Context ctx, ApiException e) {
        if (e.status() >= 500 && e.getCause() != null) {
            LOG.error("request_id={} {} {} failed", RequestIds.of(ctx), ctx.method(), ctx.path(), e.getCause());
        }
        ctx.status(e.status());
        e.headers().forEach(ctx::header);
        ctx.contentType("application/json");
        ctx.result(Json.write(body(e)));
    }
}
