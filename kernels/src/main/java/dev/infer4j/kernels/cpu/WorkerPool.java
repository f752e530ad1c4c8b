package dev.infer4j.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of worker threads for data-parallel loops, tuned for many short calls per token:
 * the calling thread works too, idle workers spin briefly before parking, and a call allocates nothing.
 * Calls are serialized: one {@link #parallelFor} runs at a time per pool.
 */
public final class WorkerPool implements AutoCloseable {

    /** A slice of a loop: iterations {@code [from, to)}, run by worker {@code worker} (0 is the caller). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int worker, int from, int to);
    }

    private static final int SPINS_BEFORE_PARK = 20_000;

    private final Thread[] workers;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger unfinished = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;

    // the current job; published by the volatile write of generation
    private RangeTask task;
    private int length;
    private int grain;
    private int chunks;

    public WorkerPool(int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int id = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("infer4j-cpu-" + id).unstarted(() -> workLoop(id));
            workers[i].start();
        }
    }

    /** Threads that run a loop, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /**
     * Runs {@code task} over {@code [0, n)} in chunks of {@code grain} iterations (the last may be shorter),
     * spread over all threads, and returns when every chunk is done. Rethrows the first failure.
     */
    public synchronized void parallelFor(int n, int grain, RangeTask task) {
        if (n <= 0) {
            return;
        }
        if (grain <= 0) {
            throw new IllegalArgumentException("grain must be positive, got " + grain);
        }
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        int chunkCount = (n + grain - 1) / grain;
        if (workers.length == 0 || chunkCount == 1) {
            task.run(0, 0, n);
            return;
        }
        this.task = task;
        this.length = n;
        this.grain = grain;
        this.chunks = chunkCount;
        this.failure = null;
        this.caller = Thread.currentThread();
        nextChunk.set(0);
        unfinished.set(workers.length);
        generation++; // publishes the job
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        runChunks(0);
        int spins = 0;
        while (unfinished.get() != 0) {
            if (++spins < SPINS_BEFORE_PARK) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 50_000);
            }
        }
        this.task = null;
        Throwable t = failure;
        if (t != null) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    /** Splits {@code [0, n)} into about one chunk per thread. */
    public void parallelFor(int n, RangeTask task) {
        parallelFor(n, Math.max(1, (n + threads() - 1) / threads()), task);
    }

    private void runChunks(int worker) {
        RangeTask t = task;
        int n = length;
        int g = grain;
        int c;
        while ((c = nextChunk.getAndIncrement()) < chunks) {
            int from = c * g;
            try {
                t.run(worker, from, Math.min(n, from + g));
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    private void workLoop(int id) {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < SPINS_BEFORE_PARK) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            runChunks(id);
            if (unfinished.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
