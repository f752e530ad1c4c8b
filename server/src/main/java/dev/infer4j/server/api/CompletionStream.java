package dev.infer4j.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infer4j.engine.generate.GenerationResult;
import dev.infer4j.engine.schedule.GenerationHandle;
import dev.infer4j.engine.schedule.GenerationSink;
import dev.infer4j.engine.schedule.TokenLogprobs;
import dev.infer4j.server.api.json.Json;
import dev.infer4j.server.http.ApiException;
import dev.infer4j.server.http.ErrorMapper;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One streamed completion: server-sent events exactly as OpenAI sends them ({@code data: {json}\n\n}, the same id
 * in every chunk, the role first in chat, a chunk with the finish reason per choice, an optional usage chunk,
 * then {@code data: [DONE]}), flushed per token. The scheduler thread only queues pieces; this request's thread
 * writes them, and when a write fails (the client left) it cancels the generation, which frees the slot at the
 * next decode step. A failure after the 200 is sent as an error event, then the stream closes.
 */
final class CompletionStream {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private sealed interface Event permits Piece, Finished, Failed {
    }

    /** Text of one or more tokens; {@code logprobs} is null unless the request asked for them. */
    private record Piece(int choice, String text, TokenLogprobs logprobs) implements Event {
    }

    private record Finished(int choice, GenerationResult result) implements Event {
    }

    private record Failed(Throwable error) implements Event {
    }

    /** The sink of one choice: queues its text (and log-probabilities) for the writer. */
    private GenerationSink sink(int choice) {
        return new GenerationSink() {
            @Override
            public void onToken(int token, String text) {
                onToken(token, text, null);
            }

            @Override
            public void onToken(int token, String text, TokenLogprobs logprobs) {
                if (!text.isEmpty() || logprobs != null) {
                    events.add(new Piece(choice, text, logprobs));
                }
            }
        };
    }

    private final Context ctx;
    private final CompletionRoutes.Call call;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    CompletionStream(Context ctx, CompletionRoutes.Call call) {
        this.ctx = ctx;
        this.call = call;
    }

    void run() {
        List<GenerationHandle> handles = CompletionRoutes.submitAll(call, this::sink); // 429 etc. before the 200
        int choices = handles.size();
        // log-probabilities of tokens whose text is still held back (UTF-8, stop strings) go with the next text
        List<List<TokenLogprobs>> pending = new ArrayList<>();
        int[] textOffsets = new int[choices];
        for (int i = 0; i < choices; i++) {
            pending.add(new ArrayList<>());
        }
        for (int i = 0; i < handles.size(); i++) {
            int choice = i;
            handles.get(i).result().whenComplete((r, e) -> events.add(e == null ? new Finished(choice, r) : new Failed(e)));
        }
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        try {
            ServletOutputStream out = ctx.res().getOutputStream();
            if (call.chat()) {
                for (int i = 0; i < handles.size(); i++) {
                    ObjectNode delta = Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "");
                    send(out, chunk(i, delta, null, null));
                }
            }
            int open = handles.size();
            int completionTokens = 0;
            GenerationResult first = null;
            while (open > 0) {
                Event event = events.take();
                switch (event) {
                    case Piece p -> {
                        List<TokenLogprobs> lps = pending.get(p.choice());
                        if (p.logprobs() != null) {
                            lps.add(p.logprobs());
                        }
                        if (!p.text().isEmpty()) {
                            ObjectNode chunk = chunk(p.choice(), delta(p.text()), p.text(), null);
                            attachLogprobs(chunk, lps, textOffsets[p.choice()]);
                            textOffsets[p.choice()] += p.text().length();
                            send(out, chunk);
                        }
                    }
                    case Finished f -> {
                        open--;
                        completionTokens += f.result().tokens().length;
                        if (f.choice() == 0) {
                            first = f.result();
                        }
                        ObjectNode last = chunk(f.choice(), call.chat() ? Json.MAPPER.createObjectNode() : null, "",
                                CompletionJson.finishReason(f.result().finishReason()));
                        attachLogprobs(last, pending.get(f.choice()), textOffsets[f.choice()]);
                        if (f.choice() == 0 && !call.params().includeUsage()) {
                            CompletionJson.timings(last, f.result());
                        }
                        send(out, last);
                    }
                    case Failed f -> {
                        handles.forEach(GenerationHandle::cancel);
                        ApiException api = ErrorMapper.toApiException(f.error(), null);
                        write(out, ("data: " + new String(Json.write(ErrorMapper.body(api)), StandardCharsets.UTF_8)
                                + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.close();
                        return;
                    }
                }
            }
            if (call.params().includeUsage()) {
                ObjectNode usage = CompletionJson.header(call, objectName());
                usage.putArray("choices");
                CompletionJson.usage(usage, call.prompt().length, completionTokens,
                        first == null ? 0 : first.reusedTokens());
                if (first != null) {
                    CompletionJson.timings(usage, first);
                }
                send(out, usage);
            }
            write(out, DONE);
            // completes the chunked response here, so that it is written before the request counts as finished
            // (a graceful shutdown closes the connections once no request is in flight)
            out.close();
        } catch (IOException e) {
            handles.forEach(GenerationHandle::cancel); // the client is gone: free the slots
        } catch (InterruptedException e) {
            handles.forEach(GenerationHandle::cancel);
            Thread.currentThread().interrupt();
        }
    }

    /** Puts the pending log-probabilities into a chunk (when the request asked for them) and empties the list. */
    private void attachLogprobs(ObjectNode chunk, List<TokenLogprobs> pending, int textOffset) {
        if (!call.params().logprobs()) {
            return;
        }
        ObjectNode choice = (ObjectNode) chunk.get("choices").get(0);
        choice.set("logprobs", LogprobsJson.of(call.chat(), pending, call.texts(), textOffset));
        pending.clear();
    }

    private String objectName() {
        return call.chat() ? "chat.completion.chunk" : "text_completion";
    }

    private ObjectNode delta(String text) {
        return call.chat() ? Json.MAPPER.createObjectNode().put("content", text) : null;
    }

    /** A chunk for one choice: chat carries {@code delta}, completions carry {@code text}. */
    private ObjectNode chunk(int choice, ObjectNode delta, String text, String finishReason) {
        ObjectNode root = CompletionJson.header(call, objectName());
        ArrayNode choices = root.putArray("choices");
        ObjectNode c = choices.addObject().put("index", choice);
        if (call.chat()) {
            c.set("delta", delta);
        } else {
            c.put("text", text == null ? "" : text);
        }
        c.putNull("logprobs");
        if (finishReason == null) {
            c.putNull("finish_reason");
        } else {
            c.put("finish_reason", finishReason);
        }
        return root;
    }

    private static void send(ServletOutputStream out, ObjectNode json) throws IOException {
        byte[] body = Json.write(json);
        byte[] event = new byte[body.length + 8];
        System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, event, 0, 6);
        System.arraycopy(body, 0, event, 6, body.length);
        event[event.length - 2] = '\n';
        event[event.length - 1] = '\n';
        write(out, event);
    }

    private static void write(ServletOutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }
}
