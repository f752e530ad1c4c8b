package dev.infer4j.server.api;

import dev.infer4j.engine.embed.EmbeddingResult;
import dev.infer4j.server.api.json.Json;
import dev.infer4j.server.http.ErrorMapper;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers a request once its batched model call completes, without holding an HTTP thread meanwhile. The JSON is
 * rendered on {@code renderer}, not on the batcher's thread, which goes straight back to the model. A request
 * that outlives the timeout is answered 503 and leaves the queue.
 */
public final class EmbeddingResponder {
    private final Executor renderer;
    private final Duration timeout;

    public EmbeddingResponder(Executor renderer, Duration timeout) {
        this.renderer = renderer;
        this.timeout = timeout;
    }

    /**
     * @param submit queues the request (may refuse it at once: queue full, input too long)
     * @param param  the request field holding the inputs, named in input errors
     * @param body   the response body for the result
     */
    public void respond(Context ctx, Supplier<CompletableFuture<EmbeddingResult>> submit, String param,
            Function<EmbeddingResult, Object> body) {
        CompletableFuture<EmbeddingResult> pending;
        try {
            pending = submit.get();
        } catch (RuntimeException e) {
            throw ErrorMapper.toApiException(e, param);
        }
        CompletableFuture<EmbeddingResult> bounded = pending.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.future(() -> bounded.handleAsync((result, failure) -> {
            if (failure != null) {
                ErrorMapper.respond(ctx, ErrorMapper.toApiException(failure, param));
                return null;
            }
            try {
                ctx.contentType("application/json").result(Json.write(body.apply(result)));
            } catch (RuntimeException e) {
                ErrorMapper.respond(ctx, ErrorMapper.toApiException(e, param));
            }
            return null;
        }, renderer));
    }
}
