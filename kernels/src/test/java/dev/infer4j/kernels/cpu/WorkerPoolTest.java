package dev.infer4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void everyIndexRunsExactlyOnce() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int n : new int[] {1, 2, 7, 100, 1001}) {
                for (int grain : new int[] {1, 3, 64, 5000}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    pool.parallelFor(n, grain, (w, from, to) -> {
                        assertTrue(w >= 0 && w < 3);
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, hits.get(i), "index " + i + " of " + n + ", grain " + grain);
                    }
                }
            }
        }
    }

    /** Many tiny loops back to back race workers joining late against the caller closing the loop. */
    @Test
    void rapidTinyLoopsRunEveryIndexOnce() {
        try (WorkerPool pool = new WorkerPool(3)) {
            int[] hits = new int[8];
            for (int round = 0; round < 50_000; round++) {
                int n = 1 + round % 8;
                pool.parallelFor(n, 1, (w, from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits[i]++; // each index has one writer per loop; the loop's end publishes it
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits[i], "round " + round + ", index " + i);
                    hits[i] = 0;
                }
            }
        }
    }

    @Test
    void failuresReachTheCallerAndThePoolSurvives() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.parallelFor(10, 1,
                    (w, from, to) -> {
                        if (from == 7) {
                            throw new IllegalStateException("boom");
                        }
                    }));
            assertEquals("boom", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(1);
            pool.parallelFor(10, 1, (w, from, to) -> hits.addAndGet(0, to - from));
            assertEquals(10, hits.get(0));
        }
    }

    @Test
    void nestedLoopsAreRejected() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThrows(IllegalStateException.class, () -> pool.parallelFor(4, 1,
                    (w, from, to) -> pool.parallelFor(2, 1, (w2, f2, t2) -> { })));
        }
    }

    @Test
    void closedPoolRefusesWork() {
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.parallelFor(4, 1, (w, f, t) -> { }));
    }
}
