package dev.infer4j.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.engine.embed.EmbedOptions;
import dev.infer4j.engine.embed.EmbeddingResult;
import dev.infer4j.engine.embed.InputTooLongException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class EmbeddingBatcherTest {

    private static final EmbedOptions OPTS = EmbedOptions.DEFAULT;
    private final ScriptedEmbeddingModel model = new ScriptedEmbeddingModel();
    private EmbeddingBatcher batcher;

    @AfterEach
    void tearDown() {
        model.open();
        if (batcher != null) {
            batcher.close();
        }
    }

    private EmbeddingBatcher start(BatchLimits limits) {
        batcher = new EmbeddingBatcher(model, limits);
        return batcher;
    }

    /** Submits a first request and waits until the model is busy with it, so later submits queue up. */
    private CompletableFuture<EmbeddingResult> occupyWorker() throws InterruptedException {
        model.hold();
        CompletableFuture<EmbeddingResult> first = batcher.embed(List.of("warm up"), OPTS);
        assertTrue(model.firstCallStarted.await(5, TimeUnit.SECONDS));
        return first;
    }

    private static float[] expectedVector(String text) {
        int words = text.isBlank() ? 0 : text.trim().split(" +").length;
        return new float[] {words, text.hashCode()};
    }

    private static void assertEmbeds(List<String> texts, CompletableFuture<EmbeddingResult> future) throws Exception {
        EmbeddingResult r = future.get(5, TimeUnit.SECONDS);
        assertEquals(texts.size(), r.vectors().length);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(expectedVector(texts.get(i)), r.vectors()[i], "vector of '" + texts.get(i) + "'");
            assertEquals(expectedVector(texts.get(i))[0] + 2, r.tokenCounts()[i]);
        }
    }

    @Test
    void singleRequestKeepsInputOrder() throws Exception {
        start(BatchLimits.DEFAULT);
        List<String> texts = List.of("a b c", "d", "e f");
        assertEmbeds(texts, batcher.embed(texts, OPTS));
        assertEquals(List.of(texts), model.calls);
    }

    @Test
    void concurrentRequestsMergeIntoOneCallAndEachGetsItsOwnSlice() throws Exception {
        start(BatchLimits.DEFAULT);
        CompletableFuture<EmbeddingResult> first = occupyWorker();
        var b = batcher.embed(List.of("b one", "b two words"), OPTS);
        var c = batcher.embed(List.of("c"), OPTS);
        var d = batcher.embed(List.of("d d d", "d", "dd"), OPTS);
        assertEquals(3, batcher.queueLength());
        model.open();
        assertEmbeds(List.of("warm up"), first);
        assertEmbeds(List.of("b one", "b two words"), b);
        assertEmbeds(List.of("c"), c);
        assertEmbeds(List.of("d d d", "d", "dd"), d);
        assertEquals(List.of(List.of("warm up"), List.of("b one", "b two words", "c", "d d d", "d", "dd")), model.calls);
    }

    @Test
    void requestLimitSplitsBatchesInArrivalOrder() throws Exception {
        start(new BatchLimits(1000, 2, 100));
        occupyWorker();
        List<CompletableFuture<EmbeddingResult>> futures = new ArrayList<>();
        for (String t : List.of("r1", "r2", "r3", "r4", "r5")) {
            futures.add(batcher.embed(List.of(t), OPTS));
        }
        model.open();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("warm up"), List.of("r1", "r2"), List.of("r3", "r4"), List.of("r5")), model.calls);
    }

    @Test
    void tokenBudgetSplitsBatchesAndOversizedRequestRunsAlone() throws Exception {
        // costs: "x" = 3 tokens, "y y y y" = 6 tokens; budget 7
        start(new BatchLimits(7, 100, 100));
        occupyWorker();
        var a = batcher.embed(List.of("x"), OPTS);
        var b = batcher.embed(List.of("x"), OPTS);
        var c = batcher.embed(List.of("y y y y"), OPTS);
        var big = batcher.embed(List.of("z z z z", "z z z z"), OPTS); // 12 tokens > budget: alone
        var e = batcher.embed(List.of("x"), OPTS);
        model.open();
        CompletableFuture.allOf(a, b, c, big, e).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("warm up"), List.of("x", "x"), List.of("y y y y"),
                List.of("z z z z", "z z z z"), List.of("x")), model.calls);
        assertEmbeds(List.of("z z z z", "z z z z"), big);
    }

    @Test
    void requestsWithDifferentOptionsOrInputKindsAreNotMerged() throws Exception {
        start(BatchLimits.DEFAULT);
        occupyWorker();
        EmbedOptions normalized = new EmbedOptions(true, null, true, false);
        var a = batcher.embed(List.of("a"), OPTS);
        var b = batcher.embed(List.of("b"), normalized);
        var t = batcher.embedTokens(List.of(new int[] {5, 6, 7}), OPTS);
        var c = batcher.embed(List.of("c"), OPTS);
        var d = batcher.embed(List.of("d"), normalized);
        model.open();
        CompletableFuture.allOf(a, b, t, c, d).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("warm up"), List.of("a", "c"), List.of("b", "d"), List.of("#3")), model.calls);
        assertEquals(List.of(OPTS, OPTS, normalized, OPTS), model.callOptions);
        assertEquals(5, t.get().tokenCounts()[0]);
    }

    @Test
    void oneBadInputFailsOnlyItsOwnRequest() throws Exception {
        start(BatchLimits.DEFAULT);
        occupyWorker();
        var good1 = batcher.embed(List.of("fine"), OPTS);
        var bad = batcher.embed(List.of("ok", "boom"), OPTS);
        var good2 = batcher.embed(List.of("also fine"), OPTS);
        model.open();
        assertEmbeds(List.of("fine"), good1);
        assertEmbeds(List.of("also fine"), good2);
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals("boom is not embeddable", e.getCause().getMessage());
    }

    @Test
    void tooLongTokenInputFailsAloneWithItsOwnIndex() throws Exception {
        start(BatchLimits.DEFAULT);
        occupyWorker();
        EmbedOptions strict = new EmbedOptions(null, null, false, false);
        var good = batcher.embedTokens(List.of(new int[] {1}), strict);
        var bad = batcher.embedTokens(List.of(new int[] {1, 2}, new int[] {1, 2, 3, 4, 5, 6, 7}), strict);
        model.open();
        assertEquals(3, good.get(5, TimeUnit.SECONDS).tokenCounts()[0]);
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
        InputTooLongException tooLong = assertInstanceOf(InputTooLongException.class, e.getCause());
        assertEquals(1, tooLong.index());
        assertEquals(9, tooLong.tokens());
    }

    @Test
    void tooLongTextIsRejectedAtSubmitWhenTruncationIsOff() {
        start(BatchLimits.DEFAULT);
        EmbedOptions strict = new EmbedOptions(null, null, false, false);
        InputTooLongException e = assertThrows(InputTooLongException.class,
                () -> batcher.embed(List.of("short", "1 2 3 4 5 6 7"), strict));
        assertEquals(1, e.index());
        assertEquals(9, e.tokens());
        assertEquals(ScriptedEmbeddingModel.MAX_TOKENS, e.maxTokens());
        assertTrue(model.calls.isEmpty(), "nothing reached the model");
    }

    @Test
    void truncatedTextIsAcceptedWhenTruncationIsOn() throws Exception {
        start(BatchLimits.DEFAULT);
        EmbeddingResult r = batcher.embed(List.of("1 2 3 4 5 6 7"), OPTS).get(5, TimeUnit.SECONDS);
        assertEquals(ScriptedEmbeddingModel.MAX_TOKENS, r.tokenCounts()[0]);
        assertTrue(r.truncated()[0]);
    }

    @Test
    void emptyRequestIsRejected() {
        start(BatchLimits.DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> batcher.embed(List.of(), OPTS));
        assertThrows(IllegalArgumentException.class, () -> batcher.embedTokens(List.of(), OPTS));
    }

    @Test
    void fullQueueRejectsAndRecoversOnceDrained() throws Exception {
        start(new BatchLimits(1000, 1, 2));
        occupyWorker();
        var a = batcher.embed(List.of("a"), OPTS);
        var b = batcher.embed(List.of("b"), OPTS);
        QueueFullException full = assertThrows(QueueFullException.class, () -> batcher.embed(List.of("c"), OPTS));
        assertEquals(2, full.capacity());
        model.open();
        CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
        assertEmbeds(List.of("c"), batcher.embed(List.of("c"), OPTS));
    }

    @Test
    void cancelledRequestFreesItsSlotAndNeverRuns() throws Exception {
        start(new BatchLimits(1000, 10, 1));
        occupyWorker();
        var doomed = batcher.embed(List.of("doomed"), OPTS);
        doomed.cancel(false);
        assertEquals(0, batcher.queueLength());
        var next = batcher.embed(List.of("next"), OPTS);
        model.open();
        assertEmbeds(List.of("next"), next);
        assertFalse(model.calls.contains(List.of("doomed")));
    }

    @Test
    void timedOutRequestFreesItsSlotAndNeverRuns() throws Exception {
        start(new BatchLimits(1000, 10, 1));
        occupyWorker();
        var late = batcher.embed(List.of("late"), OPTS).orTimeout(20, TimeUnit.MILLISECONDS);
        ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
        assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
        assertEquals(0, batcher.queueLength());
        var next = batcher.embed(List.of("next"), OPTS);
        model.open();
        assertEmbeds(List.of("next"), next);
        assertFalse(model.calls.contains(List.of("late")));
    }

    @Test
    void drainFinishesQueuedWorkThenRefusesNewWork() throws Exception {
        start(BatchLimits.DEFAULT);
        var first = occupyWorker();
        var queued = batcher.embed(List.of("queued"), OPTS);
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                // the test fails below if the gate stays shut
            }
            model.open();
        });
        assertTrue(batcher.drain(Duration.ofSeconds(5)));
        assertEmbeds(List.of("warm up"), first);
        assertEmbeds(List.of("queued"), queued);
        assertThrows(SchedulerClosedException.class, () -> batcher.embed(List.of("late"), OPTS));
    }

    @Test
    void drainTimesOutThenCloseFailsWhatIsQueued() throws Exception {
        start(BatchLimits.DEFAULT);
        var running = occupyWorker();
        var queued = batcher.embed(List.of("queued"), OPTS);
        assertFalse(batcher.drain(Duration.ofMillis(50)));
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                // the test fails below if the gate stays shut
            }
            model.open();
        });
        batcher.close(); // waits for the running call, fails the queued one
        assertEmbeds(List.of("warm up"), running);
        ExecutionException e = assertThrows(ExecutionException.class, () -> queued.get(1, TimeUnit.SECONDS));
        assertInstanceOf(SchedulerClosedException.class, e.getCause());
    }

    @Test
    void listenerSeesEachBatch() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        batcher = new EmbeddingBatcher(model, BatchLimits.DEFAULT, new BatchListener() {
            @Override
            public void batchRan(int requests, int inputs, int tokens, long runNanos) {
                seen.add(requests + "/" + inputs + "/" + tokens);
            }
        });
        occupyWorker();
        var a = batcher.embed(List.of("a b", "c"), OPTS);
        var b = batcher.embed(List.of("d"), OPTS);
        model.open();
        CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
        assertEquals(List.of("1/1/4", "2/3/10"), seen);
    }

    @Test
    void aFreeWorkerWaitsForABurstStillArrivingAfterAMergedCall() throws Exception {
        // the lull is long here so that the test does not depend on the scheduler's timing; the wait is then
        // bounded by a quarter of the previous call (over 25 ms) and ends early once the batch is full
        batcher = new EmbeddingBatcher(model, new BatchLimits(1000, 3, 100, Duration.ofSeconds(5)),
                BatchListener.NONE, Duration.ofMillis(300));
        model.delayMillis = 100;
        var first = batcher.embed(List.of("first"), OPTS);
        assertTrue(model.firstCallStarted.await(5, TimeUnit.SECONDS));
        var x = batcher.embed(List.of("x"), OPTS);
        var y = batcher.embed(List.of("y"), OPTS);
        CompletableFuture.allOf(first, x, y).get(5, TimeUnit.SECONDS); // [x, y] merged: 2 requests, 100 ms
        model.delayMillis = 0;
        // the worker is free; a burst of three arrives one by one
        var a = batcher.embed(List.of("a"), OPTS);
        var b = batcher.embed(List.of("b"), OPTS);
        var c = batcher.embed(List.of("c"), OPTS);
        CompletableFuture.allOf(a, b, c).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("first"), List.of("x", "y"), List.of("a", "b", "c")), model.calls);
    }

    @Test
    void aLoneClientIsNeverHeldForFullerBatches() throws Exception {
        batcher = new EmbeddingBatcher(model, new BatchLimits(1000, 64, 100, Duration.ofSeconds(5)),
                BatchListener.NONE, Duration.ofSeconds(5));
        model.delayMillis = 2000; // a long call: a quarter of it would allow a 500 ms wait
        batcher.embed(List.of("one"), OPTS).get(5, TimeUnit.SECONDS);
        model.delayMillis = 0;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            batcher.embed(List.of("next " + i), OPTS).get(5, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start < 400_000_000L, "not held waiting for other requests");
        }
        assertEquals(6, model.calls.size());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new BatchLimits(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BatchLimits(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BatchLimits(1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchLimits(1, 1, 1, Duration.ofMillis(-1)));
    }
}
