package dev.infer4j.kernels.tornadovm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.llama.ForwardBatch;
import dev.infer4j.models.llama.KvCache;
import dev.infer4j.models.llama.LlamaModel;
import dev.infer4j.models.testing.SharedModels;
import org.junit.jupiter.api.Test;

/**
 * {@code Backend.replay} on the device: a Llama decode step (stories260K, Q8_0: 89 launches) is recorded at its
 * second sighting and from then on runs as two graphs (TornadoVM's graphs hold {@value DevicePlan#TASKS_PER_GRAPH}
 * launches here) — two executes per step instead of 89, no plan build — and every step's logits
 * equal, bit for bit, those of the same steps run launch by launch. Batched decode (24 sequences per step) replays bit
 * for bit too, and a calls sequence that does not match its key's recording falls back to launch-by-launch, still exact.
 */
class ReplayTest extends DeviceTestSupport {
    private static final int[] PROMPT = {1, 403, 407, 261, 378};
    private static final int STEPS = 8;
    private static final int SEQUENCES = 24;

    @Test
    void aReplayedDecodeStepIsOneExecuteAndBitIdenticalToTheLaunchByLaunchPath() {
        DeviceSession session = backend.session();
        try (GgufFile file = GgufFile.open(SharedModels.file("models/stories260K/stories260K-Q8_0.gguf"))) {
            LlamaModel model = LlamaModel.load(file, backend, 16, 4);
            int vocab = model.config().vocabSize();
            session.recording(false);
            int recordedBefore = session.recordedSteps();
            int[] tokens = new int[STEPS];
            float[][] launchByLaunch = generate(model, tokens);
            assertEquals(recordedBefore, session.recordedSteps(), "nothing recorded while recording is off");

            session.recording(true);
            long replaysBefore = session.replays();
            float[][] replayed = new float[STEPS][vocab];
            KvCache cache = model.newKvCache(1, 64);
            ForwardBatch batch = model.newBatch();
            batch.add(0, 0, PROMPT, 0, PROMPT.length, ForwardBatch.Logits.LAST);
            model.forward(batch, cache);
            for (int step = 0; step < STEPS; step++) {
                batch.clear();
                int row = batch.addToken(0, PROMPT.length + step, tokens[step]);
                long executes = session.executes();
                int builds = session.builds();
                model.forward(batch, cache);
                // first sighting: launch by launch; second: recorded (the plan is rebuilt with its graph at the
                // next launch, here the logits' read); from the third on: one graph
                if (step >= 2) {
                    assertEquals(builds, session.builds(), "no plan build at step " + step);
                    RecordedStep recorded = session.lastReplayed();
                    assertEquals(recorded.graphs(), session.executes() - executes, "executes of replayed step " + step);
                    assertTrue(recorded.graphs() <= 2 && recorded.tasks() > 80,
                            recorded.tasks() + " launches in " + recorded.graphs() + " graphs");
                }
                long beforeRead = session.executes();
                model.readLogits(row, replayed[step]);
                if (step >= 2) {
                    assertEquals(1, session.executes() - beforeRead, "reading the logits is one execute");
                }
                assertArrayEquals(launchByLaunch[step], replayed[step], "logits of step " + step + ", bit for bit");
            }
            assertEquals(STEPS - 2, session.replays() - replaysBefore, "steps run as one recorded graph");
        }
    }

    @Test
    void batchedDecodeStepsReplayExactlyAndAMismatchedRecordingFallsBackExactly() {
        DeviceSession session = backend.session();
        try (GgufFile file = GgufFile.open(SharedModels.file("models/stories260K/stories260K.gguf"))) {
            LlamaModel model = LlamaModel.load(file, backend, SEQUENCES, SEQUENCES);
            session.recording(false);
            float[][] expected = batchedSteps(model);
            session.recording(true);
            long replays = session.replays();
            float[][] got = batchedSteps(model);
            assertTrue(session.replays() - replays >= 2, "batched steps replayed: " + (session.replays() - replays));
            assertEquals(89, session.lastReplayed().tasks(), "launches of a 24-sequence step: as many as for one sequence");
            assertEquals(2, session.lastReplayed().graphs(), "graphs of a 24-sequence step");
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], got[i], "batched logits " + i + ", bit for bit");
            }
        }
        // a key whose calls change structure: the recording is not used, the calls run one by one, still correct
        Tensor x = backend.allocate(DType.F32, 4, 8);
        float[] ones = new float[32];
        java.util.Arrays.fill(ones, 1f);
        backend.write(x, 0, ones, 0, 32);
        for (int i = 0; i < 3; i++) {
            backend.replay("mismatch", () -> backend.scale(x, 2f));
        }
        long replays = session.replays();
        backend.replay("mismatch", () -> {
            backend.scale(x, 2f);
            backend.scale(x, 0.5f);
            backend.scale(x, 3f);
        });
        assertEquals(replays, session.replays(), "a mismatched scope is not replayed");
        float[] out = new float[32];
        backend.read(x, 0, out, 0, 32);
        assertEquals(8f * 3f, out[31], "values after three recorded doublings and a fallback ×3");
        assertThrows(IllegalStateException.class, () -> backend.replay("read", () -> backend.read(x, 0, out, 0, 1)),
                "read inside a scope");
    }

    /** Greedy-decodes {@link #STEPS} tokens after the prompt into {@code tokens}, returning each step's logits. */
    private static float[][] generate(LlamaModel model, int[] tokens) {
        int vocab = model.config().vocabSize();
        KvCache cache = model.newKvCache(1, 64);
        ForwardBatch batch = model.newBatch();
        batch.add(0, 0, PROMPT, 0, PROMPT.length, ForwardBatch.Logits.LAST);
        model.forward(batch, cache);
        float[] logits = new float[vocab];
        model.readLogits(0, logits);
        float[][] result = new float[STEPS][vocab];
        for (int step = 0; step < STEPS; step++) {
            tokens[step] = argmax(logits);
            batch.clear();
            int row = batch.addToken(0, PROMPT.length + step, tokens[step]);
            model.forward(batch, cache);
            model.readLogits(row, result[step]);
            logits = result[step];
        }
        return result;
    }

    /**
     * Four decode steps of {@value #SEQUENCES} sequences (slots 0.., contexts of 1 and 2 tokens) after their prompts; every row's
     * logits. A step is 5 layers × 17 + 4 = 89 launches, as for one sequence (the cache
     * appends of all sequences are one {@code scatterRows} each for keys and values): 2 graphs when replayed.
     */
    private static float[][] batchedSteps(LlamaModel model) {
        int vocab = model.config().vocabSize();
        KvCache cache = model.newKvCache(SEQUENCES, 64);
        ForwardBatch batch = model.newBatch();
        for (int slot = 0; slot < SEQUENCES; slot++) {
            batch.clear();
            batch.add(slot, 0, PROMPT, 0, 1 + slot % 2, ForwardBatch.Logits.NONE);
            model.forward(batch, cache);
        }
        float[][] result = new float[4 * SEQUENCES][vocab];
        for (int step = 0; step < 4; step++) {
            batch.clear();
            for (int slot = 0; slot < SEQUENCES; slot++) {
                batch.addToken(slot, 1 + slot % 2 + step, PROMPT[(slot + step) % PROMPT.length]);
            }
            model.forward(batch, cache);
            for (int slot = 0; slot < SEQUENCES; slot++) {
                model.readLogits(slot, result[step * SEQUENCES + slot]);
            }
        }
        return result;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
