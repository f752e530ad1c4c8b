package dev.infer4j.engine.schedule;

import dev.infer4j.engine.generate.FinishReason;
import dev.infer4j.engine.generate.GenerationResult;
import dev.infer4j.engine.generate.Generator;
import dev.infer4j.models.llama.ForwardBatch;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Continuous batching for a decoder: a fixed set of sequence slots, and one scheduler thread that at every step
 * admits waiting requests into free slots, builds one forward batch with a single-token row for every decoding
 * sequence plus a chunk of at most {@code prefillChunk} prompt tokens for sequences still reading their prompt,
 * runs it, and samples each sequence's next token from its own logit row. Requests join and leave between any
 * two steps; a cancelled or expired request leaves at the next step, freeing its slot.
 *
 * <p>Admission: at most {@code parallel + maxQueued} requests are in the scheduler at once; one more fails at
 * once with {@link QueueFullException}. A request whose prompt plus {@code maxTokens} does not fit in a slot's
 * context fails at once with {@link ContextLimitException}.
 *
 * <p>Prefix reuse: a slot's cache keeps the keys and values of its last request when it is freed; a new request
 * goes to the free slot that already holds the longest prefix of its prompt and skips computing those positions
 * ({@link GenerationResult#reusedTokens()}), so a system prompt repeated by every request is computed once per slot.
 */
public final class GenerationScheduler implements AutoCloseable {
    private final Generator generator;
    private final GenerationSchedulerOptions options;
    private final GenerationSchedulerListener listener;
    private final ActiveSequence[] sequences;
    private final ForwardBatch batch;
    private final float[][] logits;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger inScheduler = new AtomicInteger();
    private final Thread worker;
    private volatile boolean closed;
    private volatile int running;

    /** A request waiting or running. */
    static final class Job {
        final GenerationRequest request;
        final GenerationSink sink;
        final GenerationHandle handle = new GenerationHandle();
        final long submittedNanos;
        final long deadlineNanos;
        final Duration timeout;

        Job(GenerationRequest request, GenerationSink sink, Duration timeout) {
            this.request = request;
            this.sink = sink;
            this.timeout = timeout;
            this.submittedNanos = System.nanoTime();
            this.deadlineNanos = submittedNanos + timeout.toNanos();
        }
    }

    public GenerationScheduler(Generator generator, GenerationSchedulerOptions options,
                               GenerationSchedulerListener listener) {
        this.generator = generator;
        this.options = options;
        this.listener = listener == null ? GenerationSchedulerListener.NONE : listener;
        this.batch = generator.newForwardBatch();
        if (options.parallel() > batch.maxLogitRows()) {
            throw new IllegalArgumentException("parallel " + options.parallel() + " exceeds the " + batch.maxLogitRows()
                    + " logit rows a forward pass of this model gives");
        }
        int vocab = generator.config().vocabSize();
        this.logits = new float[batch.maxLogitRows()][vocab];
        this.sequences = new ActiveSequence[options.parallel()];
        int[] ends = generator.endTokenIds();
        for (int i = 0; i < sequences.length; i++) {
            int slot = generator.reserveSlot();
            if (slot < 0) {
                for (int j = 0; j < i; j++) {
                    generator.releaseSlot(sequences[j].slot);
                }
                throw new IllegalArgumentException("parallel " + options.parallel()
                        + " needs that many generator sessions (KV-cache slots); only " + i + " are free");
            }
            sequences[i] = new ActiveSequence(slot, generator.contextLength(), generator.tokenizer(), vocab, ends);
        }
        this.worker = Thread.ofPlatform().daemon().name("infer4j-generation-scheduler").start(this::loop);
    }

    /**
     * Queues a request; {@code sink} receives its tokens as they come (on the scheduler thread).
     *
     * @throws ContextLimitException     when prompt plus max tokens exceed a slot's context
     * @throws QueueFullException        when {@code parallel + maxQueued} requests are already in
     * @throws SchedulerClosedException  after {@link #close()}
     */
    public GenerationHandle submit(GenerationRequest request, GenerationSink sink) {
        int context = generator.contextLength();
        int promptTokens = request.prompt().length;
        if ((long) promptTokens + request.options().maxTokens() > context) {
            throw new ContextLimitException(promptTokens, request.options().maxTokens(), context);
        }
        int vocab = generator.config().vocabSize();
        for (int id : request.prompt()) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("prompt token " + id + " is outside the vocabulary of " + vocab);
            }
        }
        if (closed) {
            throw new SchedulerClosedException("the generation scheduler was shut down");
        }
        int limit = options.parallel() + options.maxQueued();
        while (true) {
            int n = inScheduler.get();
            if (n >= limit) {
                throw new QueueFullException(options.maxQueued());
            }
            if (inScheduler.compareAndSet(n, n + 1)) {
                break;
            }
        }
        Job job = new Job(request, sink == null ? GenerationSink.NONE : sink,
                request.timeout() != null ? request.timeout() : options.requestTimeout());
        queue.add(job);
        return job.handle;
    }

    /** Requests waiting for a slot. */
    public int queued() {
        return queue.size();
    }

    /** Sequences holding a slot. */
    public int running() {
        return running;
    }

    /** Requests submitted and not yet finished (waiting or running); 0 when the scheduler is idle. */
    public int inFlight() {
        return inScheduler.get();
    }

    public int parallel() {
        return sequences.length;
    }

    public Generator generator() {
        return generator;
    }

    private void loop() {
        while (!closed) {
            try {
                if (!admit()) {
                    Job job = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (job != null) {
                        start(job);
                    }
                    continue;
                }
                step();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                failAll(e);
            }
        }
    }

    /** Moves waiting requests into free slots; returns whether any slot is busy. */
    private boolean admit() {
        boolean busy = false;
        for (ActiveSequence s : sequences) {
            if (s.isFree()) {
                Job job = queue.poll();
                if (job != null) {
                    start(job);
                }
            }
            busy |= !s.isFree();
        }
        return busy;
    }

    private void start(Job job) {
        long now = System.nanoTime();
        if (job.handle.isCancelled()) {
            end(job, new CancellationException("cancelled before it started"), 0, 0, now);
            return;
        }
        if (now - job.deadlineNanos > 0) {
            end(job, new DeadlineExceededException(job.timeout, 0), 0, 0, now);
            return;
        }
        // the free slot whose cache already holds the longest prefix of the prompt (e.g. the same system prompt)
        ActiveSequence best = null;
        int bestReuse = -1;
        for (ActiveSequence s : sequences) {
            if (s.isFree()) {
                int reuse = s.reusableFor(job.request.prompt());
                if (reuse > bestReuse) {
                    best = s;
                    bestReuse = reuse;
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("no free slot to start a request");
        }
        best.start(job, now);
        running++;
        listener.onAdmitted(now - job.submittedNanos);
    }

    private void step() {
        long now = System.nanoTime();
        for (ActiveSequence s : sequences) {
            if (!s.isFree()) {
                Job job = s.job;
                if (job.handle.isCancelled()) {
                    release(s, new CancellationException("cancelled"), now);
                } else if (now - job.deadlineNanos > 0) {
                    release(s, new DeadlineExceededException(job.timeout, s.generated()), now);
                }
            }
        }
        batch.clear();
        int active = 0;
        // decoding sequences first: one row each, so a long prompt never delays their next token
        for (ActiveSequence s : sequences) {
            s.logitRow = -1;
            if (!s.isFree() && !s.isPrefilling()) {
                s.logitRow = batch.addToken(s.slot, s.cached, s.nextToken);
                active++;
            }
        }
        for (ActiveSequence s : sequences) {
            int room = batch.maxRows() - batch.rows();
            if (s.isFree() || !s.isPrefilling() || room <= 0) {
                continue;
            }
            int n = Math.min(Math.min(options.prefillChunk(), room), s.remainingPrompt());
            boolean last = n == s.remainingPrompt();
            s.logitRow = batch.add(s.slot, s.cached, s.history(), s.cached, n,
                    last ? ForwardBatch.Logits.LAST : ForwardBatch.Logits.NONE);
            s.stepPromptTokens = n;
            active++;
        }
        if (batch.isEmpty()) {
            return;
        }
        generator.forwardBatch(batch, logits);
        listener.onStep(active, batch.rows());
        now = System.nanoTime();
        for (ActiveSequence s : sequences) {
            if (s.isFree() || (s.logitRow < 0 && s.stepPromptTokens == 0)) {
                continue;
            }
            FinishReason finish;
            try {
                finish = s.advance(s.logitRow >= 0 ? logits[s.logitRow] : null, now, listener);
            } catch (RuntimeException e) {
                release(s, e, now);
                continue;
            }
            if (finish != null) {
                Job job = s.job;
                GenerationResult result;
                try {
                    result = s.finish(finish, now);
                } catch (RuntimeException e) {
                    release(s, e, now);
                    continue;
                }
                freeSlot(s);
                listener.onFinished(result.promptTokens(), result.tokens().length, now - job.submittedNanos);
                inScheduler.decrementAndGet();
                job.handle.result().complete(result);
            }
        }
    }

    private void release(ActiveSequence s, Throwable error, long now) {
        Job job = s.job;
        int promptTokens = s.promptLength();
        int generated = s.generated();
        freeSlot(s);
        end(job, error, promptTokens, generated, now);
    }

    private void freeSlot(ActiveSequence s) {
        s.clear();
        s.stepPromptTokens = 0;
        s.logitRow = -1;
        running--;
    }

    private void end(Job job, Throwable error, int promptTokens, int generated, long now) {
        listener.onFinished(promptTokens, generated, now - job.submittedNanos);
        inScheduler.decrementAndGet();
        job.handle.result().completeExceptionally(error);
    }

    /** After a failed step: fails every running request; no slot's cache contents can be trusted any more. */
    private void failAll(Throwable error) {
        long now = System.nanoTime();
        for (ActiveSequence s : sequences) {
            if (!s.isFree()) {
                release(s, error, now);
            }
            s.invalidateCache();
        }
    }

    /** Stops the scheduler: waiting and running requests fail with {@link SchedulerClosedException}; slots go back. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SchedulerClosedException error = new SchedulerClosedException("the generation scheduler was shut down");
        failAll(error);
        for (Job job; (job = queue.poll()) != null; ) {
            end(job, error, 0, 0, System.nanoTime());
        }
        for (ActiveSequence s : sequences) {
            generator.releaseSlot(s.slot);
        }
    }
}
