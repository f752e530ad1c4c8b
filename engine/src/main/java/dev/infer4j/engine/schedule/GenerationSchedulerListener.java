package dev.infer4j.engine.schedule;

/** What a {@link GenerationScheduler} reports for metrics; called on the scheduler thread, must be quick. */
public interface GenerationSchedulerListener {
    /** A forward pass ran with {@code sequences} sequences and {@code rows} token rows. */
    default void onStep(int sequences, int rows) {
    }

    /** A request got a slot after waiting {@code queueNanos}. */
    default void onAdmitted(long queueNanos) {
    }

    /** A request's first token came {@code ttftNanos} after submission. */
    default void onFirstToken(long ttftNanos) {
    }

    /** A request produced another token {@code nanos} after its previous one. */
    default void onInterToken(long nanos) {
    }

    /** A request ended (normally or not) after {@code e2eNanos}. */
    default void onFinished(int promptTokens, int generatedTokens, long e2eNanos) {
    }

    GenerationSchedulerListener NONE = new GenerationSchedulerListener() { };
}
