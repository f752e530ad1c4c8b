package dev.infer4j.engine.schedule;

import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.engine.embed.EmbeddingResult;
import dev.infer4j.engine.embed.InputTooLongException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching of embedding requests: concurrent callers enqueue requests into a bounded queue, and one worker
 * thread merges whatever is waiting (up to the token and request limits) into a single model call, then completes
 * each caller's future with its own slice of the result.
 *
 * <p>Requests are merged only when their options and input kind (texts or token ids) match, since one model call
 * takes one set of options. The oldest waiting request always goes into the next call, so nothing starves. There is
 * no fixed delay: while the model runs, new requests pile up and form the next batch; when the worker is free, it
 * waits only for a burst of requests that is still arriving (see {@link #awaitFuller}). When a merged call fails,
 * each of its requests is run again alone, so one bad input fails only its own request.
 */
public final class EmbeddingBatcher implements AutoCloseable {

    private final EmbeddingModel model;
    private final BatchLimits limits;
    private final BatchListener listener;
    private final int maxTokens;
    private final int specialTokens;
    private final long arrivalGapNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private boolean accepting = true;
    // the latest model call: how long it took (bounds the wait for fuller batches) and how many requests it merged
    private volatile long lastRunNanos;
    private volatile int lastRequestsMerged;
    private final Thread worker;

    public EmbeddingBatcher(EmbeddingModel model, BatchLimits limits, BatchListener listener) {
        this(model, limits, listener, BatchLimits.ARRIVAL_GAP);
    }

    /** With another lull that ends the wait for fuller batches (tests use a long one to be independent of timing). */
    EmbeddingBatcher(EmbeddingModel model, BatchLimits limits, BatchListener listener, Duration arrivalGap) {
        this.arrivalGapNanos = arrivalGap.toNanos();
        this.model = Objects.requireNonNull(model, "model");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxTokens = model.info().maxTokens();
        // what the model adds around a token-id input ([CLS] … [SEP] for BERT); used only to estimate batch cost
        this.specialTokens = model.tokenize("").length;
        this.worker = Thread.ofPlatform().daemon().name("infer4j-embedding-batcher").start(this::workLoop);
    }

    public EmbeddingBatcher(EmbeddingModel model, BatchLimits limits) {
        this(model, limits, BatchListener.NONE);
    }

    public BatchLimits limits() {
        return limits;
    }

    /**
     * Queues texts for embedding. Texts are tokenized here, on the caller's thread, to know their cost.
     *
     * @throws IllegalArgumentException  when {@code texts} is empty
     * @throws InputTooLongException     when truncation is off and a text exceeds the model's maximum length
     * @throws QueueFullException        when the queue is full
     * @throws SchedulerClosedException  after {@link #drain} or {@link #close}
     */
    public CompletableFuture<EmbeddingResult> embed(List<String> texts, EmbedOptions options) {
        requireInputs(texts, options);
        int cost = 0;
        for (int i = 0; i < texts.size(); i++) {
            int tokens = model.tokenize(Objects.requireNonNull(texts.get(i), "text")).length;
            if (tokens > maxTokens && !options.truncate()) {
                throw new InputTooLongException(i, tokens, maxTokens);
            }
            cost += Math.min(tokens, maxTokens);
        }
        return enqueue(new Job(texts, null, options, cost));
    }

    /**
     * Queues token-id inputs (ids without special tokens). Lengths are checked by the model when the request runs.
     *
     * @throws IllegalArgumentException  when {@code tokenIds} is empty
     * @throws QueueFullException        when the queue is full
     * @throws SchedulerClosedException  after {@link #drain} or {@link #close}
     */
    public CompletableFuture<EmbeddingResult> embedTokens(List<int[]> tokenIds, EmbedOptions options) {
        requireInputs(tokenIds, options);
        int cost = 0;
        for (int[] ids : tokenIds) {
            cost += Math.min(Objects.requireNonNull(ids, "token ids").length + specialTokens, maxTokens);
        }
        return enqueue(new Job(null, tokenIds, options, cost));
    }

    /** Requests waiting for the model (not counting the batch that is running). */
    public int queueLength() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops accepting requests and waits up to {@code grace} for the queued and running ones to finish.
     *
     * @return whether everything finished in time; if not, {@link #close()} fails what is left
     */
    public boolean drain(Duration grace) throws InterruptedException {
        stopAccepting();
        return worker.join(grace);
    }

    /**
     * Stops accepting requests, fails the queued ones with {@link SchedulerClosedException}, and waits for the
     * running model call (if any) to finish, so that the model can be closed safely afterwards.
     */
    @Override
    public void close() {
        List<Job> dropped;
        lock.lock();
        try {
            accepting = false;
            dropped = new ArrayList<>(queue);
            queue.clear();
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        SchedulerClosedException closed = new SchedulerClosedException("the embedding batcher was shut down");
        for (Job job : dropped) {
            job.future.completeExceptionally(closed);
        }
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void requireInputs(List<?> inputs, EmbedOptions options) {
        Objects.requireNonNull(options, "options");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs to embed");
        }
    }

    private CompletableFuture<EmbeddingResult> enqueue(Job job) {
        lock.lock();
        try {
            if (!accepting) {
                throw new SchedulerClosedException("the embedding batcher is shutting down");
            }
            if (queue.size() >= limits.maxQueuedRequests()) {
                throw new QueueFullException(limits.maxQueuedRequests());
            }
            queue.addLast(job);
            workAvailable.signal();
        } finally {
            lock.unlock();
        }
        // a caller that gives up (cancels, times out) frees its queue slot at once
        job.future.whenComplete((result, failure) -> {
            if (!job.taken) {
                removeFromQueue(job);
            }
        });
        return job.future;
    }

    private void stopAccepting() {
        lock.lock();
        try {
            accepting = false;
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void removeFromQueue(Job job) {
        lock.lock();
        try {
            queue.remove(job);
        } finally {
            lock.unlock();
        }
    }

    private void workLoop() {
        while (true) {
            List<Job> batch;
            lock.lock();
            try {
                while (queue.isEmpty()) {
                    if (!accepting) {
                        return;
                    }
                    workAvailable.awaitUninterruptibly();
                }
                awaitFuller();
                batch = takeBatch();
            } finally {
                lock.unlock();
            }
            run(batch);
        }
    }

    /**
     * Lets a burst of requests that is still arriving join the batch (called with the lock held, queue not empty).
     * Clients answered together tend to come back together: without this, the first one back would run alone and
     * the rest wait a whole model call. The wait is short by construction: it ends at a lull of
     * {@link BatchLimits#ARRIVAL_GAP}, at {@code maxBatchWait}, and at a quarter of the previous call's time; and
     * there is none unless the previous call merged several requests, so that a single client is never delayed.
     */
    private void awaitFuller() {
        long cap = Math.min(limits.maxBatchWait().toNanos(), lastRunNanos / 4);
        if (cap <= 0 || lastRequestsMerged < 2) {
            return;
        }
        long gap = arrivalGapNanos;
        long now = System.nanoTime();
        long deadline = now + cap;
        long lullEnds = now + gap;
        int seen = queue.size();
        while (accepting && seen < limits.maxBatchRequests()) {
            long until = Math.min(deadline, lullEnds);
            if (now >= until) {
                return;
            }
            try {
                workAvailable.awaitNanos(until - now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            now = System.nanoTime();
            if (queue.size() > seen) {
                seen = queue.size();
                lullEnds = now + gap;
            }
        }
    }

    /** The oldest request plus the following compatible ones that fit the limits; called with the lock held. */
    private List<Job> takeBatch() {
        Job first = queue.pollFirst();
        first.taken = true;
        List<Job> batch = new ArrayList<>();
        batch.add(first);
        int tokens = first.cost;
        Iterator<Job> it = queue.iterator();
        while (it.hasNext() && batch.size() < limits.maxBatchRequests()) {
            Job next = it.next();
            if (!next.mergesWith(first)) {
                continue;
            }
            if (tokens + next.cost > limits.maxBatchTokens()) {
                break; // keep arrival order among compatible requests: the next batch starts with this one
            }
            it.remove();
            next.taken = true;
            batch.add(next);
            tokens += next.cost;
        }
        return batch;
    }

    private void run(List<Job> batch) {
        long now = System.nanoTime();
        List<Job> live = new ArrayList<>(batch.size());
        for (Job job : batch) {
            if (!job.future.isDone()) { // skip requests given up while they waited
                listener.dequeued(now - job.enqueuedNanos);
                live.add(job);
            }
        }
        if (live.size() == 1) {
            runAlone(live.getFirst());
        } else if (!live.isEmpty()) {
            runMerged(live);
        }
    }

    private void runMerged(List<Job> jobs) {
        EmbeddingResult merged;
        long start = System.nanoTime();
        try {
            merged = jobs.getFirst().texts != null ? model.embed(concatTexts(jobs), jobs.getFirst().options)
                    : model.embedTokens(concatTokens(jobs), jobs.getFirst().options);
            checkShape(merged, countInputs(jobs));
        } catch (RuntimeException | Error e) {
            // isolate the failure: each request runs again alone and only the bad ones fail
            for (Job job : jobs) {
                runAlone(job);
            }
            return;
        }
        lastRunNanos = System.nanoTime() - start;
        lastRequestsMerged = jobs.size();
        listener.batchRan(jobs.size(), merged.vectors().length, merged.totalTokens(), lastRunNanos);
        int offset = 0;
        for (Job job : jobs) {
            int n = job.inputCount();
            job.future.complete(slice(merged, offset, offset + n));
            offset += n;
        }
    }

    private void runAlone(Job job) {
        long start = System.nanoTime();
        try {
            EmbeddingResult result = job.texts != null ? model.embed(job.texts, job.options)
                    : model.embedTokens(job.tokenIds, job.options);
            checkShape(result, job.inputCount());
            lastRunNanos = System.nanoTime() - start;
            lastRequestsMerged = 1;
            listener.batchRan(1, result.vectors().length, result.totalTokens(), lastRunNanos);
            job.future.complete(result);
        } catch (RuntimeException | Error e) {
            job.future.completeExceptionally(e);
        }
    }

    private static void checkShape(EmbeddingResult result, int inputs) {
        if (result.vectors().length != inputs || result.tokenCounts().length != inputs
                || result.truncated().length != inputs) {
            throw new IllegalStateException("the model returned " + result.vectors().length + " vectors for "
                    + inputs + " inputs");
        }
    }

    private static EmbeddingResult slice(EmbeddingResult r, int from, int to) {
        return new EmbeddingResult(Arrays.copyOfRange(r.vectors(), from, to),
                Arrays.copyOfRange(r.tokenCounts(), from, to), Arrays.copyOfRange(r.truncated(), from, to));
    }

    private static int countInputs(List<Job> jobs) {
        int n = 0;
        for (Job job : jobs) {
            n += job.inputCount();
        }
        return n;
    }

    private static List<String> concatTexts(List<Job> jobs) {
        List<String> all = new ArrayList<>(countInputs(jobs));
        for (Job job : jobs) {
            all.addAll(job.texts);
        }
        return all;
    }

    private static List<int[]> concatTokens(List<Job> jobs) {
        List<int[]> all = new ArrayList<>(countInputs(jobs));
        for (Job job : jobs) {
            all.addAll(job.tokenIds);
        }
        return all;
    }

    /** One queued request: either texts or token ids. */
    private static final class Job {
        final List<String> texts;
        final List<int[]> tokenIds;
        final EmbedOptions options;
        final int cost;
        final long enqueuedNanos = System.nanoTime();
        final CompletableFuture<EmbeddingResult> future = new CompletableFuture<>();
        volatile boolean taken; // left the queue for a model call

        Job(List<String> texts, List<int[]> tokenIds, EmbedOptions options, int cost) {
            this.texts = texts == null ? null : List.copyOf(texts);
            this.tokenIds = tokenIds == null ? null : List.copyOf(tokenIds);
            this.options = options;
            this.cost = cost;
        }

        int inputCount() {
            return texts != null ? texts.size() : tokenIds.size();
        }

        boolean mergesWith(Job other) {
            return (texts != null) == (other.texts != null) && options.equals(other.options);
        }
    }
}
