package dev.infer4j.tokenizer.pipeline;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs {@code body(i)} for {@code i} in {@code [0, n)} on all cores: helpers in the common fork-join pool and the
 * calling thread take indices from a shared counter, so uneven items balance out. The caller never waits for a helper
 * that has not started: it waits only for items already taken.
 */
final class ParallelLoop {

    private ParallelLoop() {
    }

    static void run(int n, IntConsumer body) {
        int workers = Math.min(n, Runtime.getRuntime().availableProcessors());
        if (workers <= 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Object monitor = new Object();
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                try {
                    body.accept(i);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                if (completed.incrementAndGet() == n) {
                    synchronized (monitor) {
                        monitor.notifyAll();
                    }
                }
            }
        };
        for (int w = 1; w < workers; w++) {
            ForkJoinPool.commonPool().execute(drain);
        }
        drain.run();
        synchronized (monitor) {
            while (completed.get() < n) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while encoding a batch", e);
                }
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
    }
}
