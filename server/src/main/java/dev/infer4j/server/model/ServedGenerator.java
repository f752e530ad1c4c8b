package dev.infer4j.server.model;

import dev.infer4j.engine.generate.ChatTemplate;
import dev.infer4j.engine.generate.Generator;
import dev.infer4j.engine.schedule.GenerationScheduler;
import java.time.Instant;

/**
 * A decoder model the server generates with, and the continuous-batching scheduler in front of it.
 *
 * @param chatTemplateOverride the chat template to use instead of the model's own; null = the model's
 */
public record ServedGenerator(String id, Generator generator, GenerationScheduler scheduler,
                              ChatTemplate chatTemplateOverride, long createdEpochSeconds) implements AutoCloseable {

    public ServedGenerator(String id, Generator generator, GenerationScheduler scheduler) {
        this(id, generator, scheduler, null);
    }

    public ServedGenerator(String id, Generator generator, GenerationScheduler scheduler, ChatTemplate template) {
        this(id, generator, scheduler, template, Instant.now().getEpochSecond());
    }

    /** The chat format of {@code /v1/chat/completions}; fails when the model names none infer4j knows. */
    public ChatTemplate chatTemplate() {
        return chatTemplateOverride != null ? chatTemplateOverride : generator.chatTemplate();
    }

    /** Stops the scheduler (failing what it still holds), then frees the model. */
    @Override
    public void close() {
        scheduler.close();
        generator.close();
    }
}
