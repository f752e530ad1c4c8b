package dev.infer4j.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of worker threads for data-parallel loops, tuned for many short calls per token:
 * the calling thread works too, idle workers spin briefly before parking, and a call allocates nothing.
 * Calls are serialized: one {@link #parallelFor} runs at a time per pool.
 *
 * <p>A worker takes part in a loop only if it joins before the loop runs out of chunks: once the caller finds no
 * chunk left it closes the loop and waits just for the workers that joined. A worker that the operating system
 * has not scheduled (another process holds its core) therefore never holds up the caller, who does the work
 * alone instead of waiting a time slice for it.
 */
public final class WorkerPool implements AutoCloseable {

    /** A slice of a loop: iterations {@code [from, to)}, run by worker {@code worker} (0 is the caller). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int worker, int from, int to);
    }

    private static final int SPINS_BEFORE_PARK = 20_000;
    /** Work (in element operations) below which waking other threads costs more than it saves. */
    private static final long MIN_WORK_PER_CHUNK = 16_384;

    /** Pool threads are of this class so that a task calling back into its pool is caught. */
    private static final class Worker extends Thread {
        Worker(Runnable body, String name) {
            super(body, name);
            setDaemon(true);
        }
    }

    private final Thread[] workers;
    private final AtomicInteger nextChunk = new AtomicInteger();
    /**
     * The current loop's generation (high 32 bits), whether the caller has closed it to newcomers ({@link #CLOSED})
     * and how many workers are in it (low bits).
     */
    private final AtomicLong membership = new AtomicLong();
    private static final long CLOSED = 1L << 31;
    private static final long MEMBERS = CLOSED - 1;
    private volatile long generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;
    private boolean running; // guarded by this

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
            workers[i] = new Worker(() -> workLoop(id), "infer4j-cpu-" + id);
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
     * Not reentrant: a task must not call back into its pool.
     */
    public void parallelFor(int n, int grain, RangeTask task) {
        if (Thread.currentThread() instanceof Worker) {
            throw new IllegalStateException("a worker pool task must not start another parallel loop");
        }
        if (n <= 0) {
            return;
        }
        if (grain <= 0) {
            throw new IllegalArgumentException("grain must be positive, got " + grain);
        }
        synchronized (this) {
            if (running) {
                throw new IllegalStateException("a worker pool task must not start another parallel loop");
            }
            if (closed) {
                throw new IllegalStateException("worker pool is closed");
            }
            int chunkCount = (n + grain - 1) / grain;
            running = true;
            try {
                if (workers.length == 0 || chunkCount == 1) {
                    task.run(0, 0, n);
                } else {
                    runOnAll(n, grain, chunkCount, task);
                }
            } finally {
                running = false;
            }
        }
    }

    private void runOnAll(int n, int grain, int chunkCount, RangeTask task) {
        this.task = task;
        this.length = n;
        this.grain = grain;
        this.chunks = chunkCount;
        this.failure = null;
        this.caller = Thread.currentThread();
        nextChunk.set(0);
        long g = generation + 1;
        membership.set(g << 32);
        generation = g; // publishes the job
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        runChunks(0);
        membership.getAndUpdate(m -> m | CLOSED); // no chunk is left to take: late workers stay out
        int spins = 0;
        while ((membership.get() & MEMBERS) != 0) {
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

    /**
     * Runs {@code task} over {@code n} items that each cost about {@code workPerItem} element operations,
     * in chunks big enough to pay for waking a thread (small loops run on the caller alone).
     */
    public void parallelForWork(int n, long workPerItem, RangeTask task) {
        long perChunk = Math.max(1, MIN_WORK_PER_CHUNK / Math.max(1, workPerItem));
        long balanced = ((long) n + 4L * threads() - 1) / (4L * threads()); // a few chunks per thread
        parallelFor(n, (int) Math.min(n, Math.max(perChunk, balanced)), task);
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
            if (join(seen)) {
                runChunks(id);
                long m = membership.decrementAndGet();
                if ((m & MEMBERS) == 0 && (m & CLOSED) != 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    /** Enters loop {@code g} unless the caller has closed it (or already moved on to another loop). */
    private boolean join(long g) {
        while (true) {
            long m = membership.get();
            if (m >>> 32 != (g & 0xFFFF_FFFFL) || (m & CLOSED) != 0) {
                return false;
            }
            if (membership.compareAndSet(m, m + 1)) {
                return true;
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
