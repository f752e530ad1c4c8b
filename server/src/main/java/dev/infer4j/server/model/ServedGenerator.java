package dev.infer4j.server.model;

import dev.infer4j.engine.generate.Generator;
import dev.infer4j.engine.schedule.GenerationScheduler;
import java.time.Instant;

/** A decoder model the server generates with, and the continuous-batching scheduler in front of it. */
public record ServedGenerator(String id, Generator generator, GenerationScheduler scheduler, long createdEpochSeconds)
        implements AutoCloseable {

    public ServedGenerator(String id, Generator generator, GenerationScheduler scheduler) {
        this(id, generator, scheduler, Instant.now().getEpochSecond());
    }

    /** Stops the scheduler (failing what it still holds), then frees the model. */
    @Override
    public void close() {
        scheduler.close();
        generator.close();
    }
}
