package dev.infer4j.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infer4j.engine.generate.ChatMessage;
import dev.infer4j.engine.generate.GenerationResult;
import dev.infer4j.engine.generate.Generator;
import dev.infer4j.engine.generate.UnsupportedChatTemplateException;
import dev.infer4j.engine.schedule.GenerationHandle;
import dev.infer4j.engine.schedule.GenerationRequest;
import dev.infer4j.engine.schedule.GenerationSink;
import dev.infer4j.engine.schedule.TokenLogprobs;
import dev.infer4j.server.api.json.Fields;
import dev.infer4j.server.api.json.Json;
import dev.infer4j.server.http.ApiException;
import dev.infer4j.server.http.BodyReader;
import dev.infer4j.server.http.ErrorMapper;
import dev.infer4j.server.model.ServedGenerator;
import dev.infer4j.server.model.ServedGenerators;
import dev.infer4j.server.model.ServedModels;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * OpenAI's {@code POST /v1/completions} and {@code POST /v1/chat/completions} over the continuous-batching
 * scheduler of a served generator, answered whole or as server-sent events ({@link CompletionStream}).
 * Everything that can be wrong with a request is found before the first byte of a 200 is sent.
 */
public final class CompletionRoutes implements RouteGroup {
    /** OpenAI's default {@code max_tokens} of the legacy completions endpoint. */
    private static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

    private final ServedModels models;
    private final ServedGenerators generators;
    private final BodyReader bodies;

    /** @param models the server's loading state: while it loads or drains, requests get 503 */
    public CompletionRoutes(ServedModels models, ServedGenerators generators, BodyReader bodies) {
        this.models = models;
        this.generators = generators;
        this.bodies = bodies;
    }

    @Override
    public void addTo(JavalinDefaultRouting router) {
        router.post("/v1/completions", ctx -> handle(ctx, false));
        router.post("/v1/chat/completions", ctx -> handle(ctx, true));
    }

    /** What one request asks for once its prompt is tokenized and its limits are checked against the context. */
    record Call(ServedGenerator model, boolean chat, int[] prompt, GenerationParams params, int maxTokens, String id,
                long created, TokenTexts texts) {
    }

    private final Map<ServedGenerator, TokenTexts> tokenTexts = new ConcurrentHashMap<>();

    private void handle(Context ctx, boolean chat) {
        models.requireServing();
        JsonNode body = Json.parseObject(bodies.read(ctx));
        String modelId = Fields.string(body, "model", null);
        List<ChatMessage> messages = chat ? messages(body) : null;
        JsonNode promptField = chat ? null : Fields.required(body, "prompt");
        GenerationParams params = GenerationParams.parse(body, chat ? Integer.MAX_VALUE : COMPLETIONS_DEFAULT_MAX_TOKENS,
                chat);
        ServedGenerator model = generators.get(modelId);
        Generator generator = model.generator();
        int[] prompt = chat ? chatPrompt(model, messages) : completionPrompt(generator, promptField);
        int vocab = generator.config().vocabSize();
        for (Integer id : params.sampling().logitBias().keySet()) {
            if (id >= vocab) {
                throw ApiException.badRequest("logit_bias", "'logit_bias' names token " + id
                        + ", outside the vocabulary of " + vocab);
            }
        }
        int context = generator.contextLength();
        if (prompt.length >= context || (params.maxTokensGiven() && (long) prompt.length + params.maxTokens() > context)) {
            throw contextExceeded(prompt.length, params.maxTokens(), context, params.maxTokensGiven());
        }
        int maxTokens = Math.min(params.maxTokens(), context - prompt.length);
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        TokenTexts texts = params.logprobs() ? tokenTexts.computeIfAbsent(model, m -> new TokenTexts(m.generator().tokenizer()))
                : null;
        Call call = new Call(model, chat, prompt, params, maxTokens, id, System.currentTimeMillis() / 1000, texts);
        if (params.stream()) {
            new CompletionStream(ctx, call).run();
        } else {
            complete(ctx, call);
        }
    }

    private static void complete(Context ctx, Call call) {
        List<List<TokenLogprobs>> logprobs = new ArrayList<>();
        for (int i = 0; i < call.params().n(); i++) {
            logprobs.add(new ArrayList<>());
        }
        // tokens are added on the scheduler thread; read after the results are joined (happens-before)
        List<GenerationHandle> handles = submitAll(call, call.params().logprobs() ? choice -> new GenerationSink() {
            @Override
            public void onToken(int token, String text) {
            }

            @Override
            public void onToken(int token, String text, TokenLogprobs lp) {
                if (lp != null) {
                    logprobs.get(choice).add(lp);
                }
            }
        } : null);
        List<GenerationResult> results = new ArrayList<>();
        try {
            for (GenerationHandle h : handles) {
                results.add(h.result().join());
            }
        } catch (RuntimeException e) {
            handles.forEach(GenerationHandle::cancel);
            throw ErrorMapper.toApiException(e, null);
        }
        ObjectNode root = CompletionJson.header(call, call.chat() ? "chat.completion" : "text_completion");
        ArrayNode choices = root.putArray("choices");
        int completionTokens = 0;
        for (int i = 0; i < results.size(); i++) {
            GenerationResult r = results.get(i);
            completionTokens += r.tokens().length;
            ObjectNode choice = choices.addObject().put("index", i);
            if (call.chat()) {
                choice.putObject("message").put("role", "assistant").put("content", r.text());
            } else {
                choice.put("text", r.text());
            }
            if (call.params().logprobs()) {
                choice.set("logprobs", LogprobsJson.of(call.chat(), logprobs.get(i), call.texts(), 0));
            } else {
                choice.putNull("logprobs");
            }
            choice.put("finish_reason", CompletionJson.finishReason(r.finishReason()));
        }
        CompletionJson.usage(root, call.prompt().length, completionTokens, results.getFirst().reusedTokens());
        CompletionJson.timings(root, results.getFirst());
        ctx.contentType("application/json").result(Json.write(root));
    }

    /** Submits the {@code n} choices (choice i samples with seed + i); on a refusal cancels those already in. */
    static List<GenerationHandle> submitAll(Call call, IntFunction<GenerationSink> sinks) {
        List<GenerationHandle> handles = new ArrayList<>();
        try {
            for (int i = 0; i < call.params().n(); i++) {
                GenerationRequest request = new GenerationRequest(call.prompt(), call.params().options(i, call.maxTokens()),
                        null, call.params().topLogprobs());
                handles.add(call.model().scheduler().submit(request, sinks == null ? null : sinks.apply(i)));
            }
        } catch (RuntimeException e) {
            handles.forEach(GenerationHandle::cancel);
            throw ErrorMapper.toApiException(e, null);
        }
        return handles;
    }

    /** A 400 naming the prompt size and context as llama.cpp's server does ({@code n_prompt_tokens}, {@code n_ctx}). */
    private static ApiException contextExceeded(int promptTokens, int maxTokens, int context, boolean maxGiven) {
        String message = promptTokens >= context
                ? "the prompt has " + promptTokens + " tokens but the context holds " + context
                : "the prompt (" + promptTokens + " tokens) plus max_tokens (" + maxTokens
                        + ") exceed the context of " + context + " tokens";
        String param = maxGiven && promptTokens < context ? "max_tokens" : "prompt";
        return new ApiException(400, "invalid_request_error", "context_length_exceeded", param,
                message + " (n_prompt_tokens=" + promptTokens + ", n_ctx=" + context + ")", Map.of(),
                Map.of("n_prompt_tokens", promptTokens, "n_ctx", context));
    }

    private static int[] completionPrompt(Generator generator, JsonNode prompt) {
        if (prompt.isTextual()) {
            return encode(generator, prompt.textValue());
        }
        if (prompt.isArray() && !prompt.isEmpty()) {
            if (prompt.size() == 1 && prompt.get(0).isTextual()) {
                return encode(generator, prompt.get(0).textValue());
            }
            int[] ids = new int[prompt.size()];
            int vocab = generator.config().vocabSize();
            for (int i = 0; i < ids.length; i++) {
                JsonNode t = prompt.get(i);
                if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 0 || t.intValue() >= vocab) {
                    throw ApiException.badRequest("prompt", "'prompt' must be a string, one string in an array, or an "
                            + "array of token ids from 0 to " + (vocab - 1) + "; item " + i + " is " + t);
                }
                ids[i] = t.intValue();
            }
            return ids;
        }
        throw ApiException.badRequest("prompt", "'prompt' must be a non-empty string or array, not " + Fields.kind(prompt)
                + (prompt.isArray() ? " (empty)" : ""));
    }

    private static int[] encode(Generator generator, String text) {
        int[] ids = generator.tokenizer().encode(text, true).ids();
        if (ids.length == 0) {
            throw ApiException.badRequest("prompt", "the prompt has no tokens");
        }
        return ids;
    }

    private static List<ChatMessage> messages(JsonNode body) {
        JsonNode v = Fields.required(body, "messages");
        if (!v.isArray()) {
            throw ApiException.badRequest("messages", "'messages' must be an array, not " + Fields.kind(v));
        }
        if (v.isEmpty()) {
            throw ApiException.badRequest("messages", "'messages' must hold at least one message");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode m = v.get(i);
            String where = "messages[" + i + "]";
            if (!m.isObject()) {
                throw ApiException.badRequest(where, "'" + where + "' must be an object, not " + Fields.kind(m));
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()) {
                throw ApiException.badRequest(where + ".role", "'" + where + ".role' must be a string");
            }
            String r = role.textValue();
            if (r.equals("developer")) {
                r = "system";
            }
            if (!r.equals("system") && !r.equals("user") && !r.equals("assistant")) {
                throw ApiException.badRequest(where + ".role", "unknown role '" + role.textValue() + "' in " + where
                        + "; expected system, developer, user or assistant");
            }
            out.add(new ChatMessage(r, content(m.get("content"), where + ".content")));
        }
        return out;
    }

    /** A message's text: a string, or an array of {@code {"type":"text","text":...}} parts. */
    private static String content(JsonNode c, String where) {
        if (c == null || c.isNull()) {
            throw ApiException.badRequest(where, "'" + where + "' is required");
        }
        if (c.isTextual()) {
            return c.textValue();
        }
        if (c.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : c) {
                if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiException.badRequest(where, "'" + where + "' parts must be {\"type\":\"text\",\"text\":...}");
                }
                text.append(part.get("text").textValue());
            }
            return text.toString();
        }
        throw ApiException.badRequest(where, "'" + where + "' must be a string or an array of text parts, not "
                + Fields.kind(c));
    }

    private static int[] chatPrompt(ServedGenerator model, List<ChatMessage> messages) {
        try {
            return model.generator().encodeChat(model.chatTemplate().render(messages, true));
        } catch (UnsupportedChatTemplateException e) {
            throw ApiException.badRequest("messages", e.getMessage());
        }
    }
}
