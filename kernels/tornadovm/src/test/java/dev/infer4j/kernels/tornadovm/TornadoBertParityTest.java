package dev.infer4j.kernels.tornadovm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.bert.BertEncoder;
import dev.infer4j.models.bert.BertWeights;
import dev.infer4j.models.bert.PackedBatch;
import dev.infer4j.models.registry.EncoderModelFiles;
import dev.infer4j.models.registry.ModelRegistry;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The BERT encoder on the TornadoVM backend (PoCL in CI) against ONNX Runtime running the same ONNX file: a
 * packed batch of sequences of different lengths and token types. Every last hidden state within 1e-3 of
 * ONNX Runtime's, and every sentence embedding (mean over the sequence, L2-normalised, computed on the device
 * with {@code meanPool} and {@code l2Normalize}) at cosine ≥ 0.9999 with ONNX Runtime's mean of its states. The
 * states checked are those of a pass replayed as one recorded graph ({@code Backend.replay}).
 */
class TornadoBertParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5"})
    void hiddenStatesAndEmbeddingsMatchOnnxRuntime(String name) throws Exception {
        List<int[]> ids = List.of(
                new int[] {101, 7592, 1010, 2088, 999, 102},
                new int[] {101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102},
                new int[] {101, 102},
                new int[] {101, 2129, 2079, 1045, 102, 2023, 2003, 1037, 3231, 102},
                new int[] {101, 2129, 2079, 1045, 102, 2023, 2003, 1037, 3231, 102});
        List<int[]> types = List.of(new int[6], new int[12], new int[2], new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1},
                new int[10]);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (EncoderModelFiles files = ModelRegistry.userDefault().openEncoder(name);
             Backend backend = Backends.create("tornadovm", 1);
             BertWeights weights = BertWeights.load(files.weights(), files.config(), backend);
             OrtSession session = env.createSession(files.weights().file().toString(), new OrtSession.SessionOptions())) {
            BertEncoder encoder = new BertEncoder(backend, weights, 64);
            PackedBatch batch = PackedBatch.of(ids, types);
            // the same shape three times: launch by launch, recorded, then replayed as one graph (checked below)
            Tensor states = null;
            for (int pass = 0; pass < 3; pass++) {
                states = encoder.forward(batch);
            }
            assertEquals(1, ((TornadoBackend) backend).session().replays(), "the third pass ran as one recorded graph");
            int hidden = files.config().hiddenSize();
            Tensor pooled = backend.allocate(DType.F32, 1, hidden);
            double maxAbs = 0;
            double minCosine = 1;
            for (int s = 0; s < ids.size(); s++) {
                int n = ids.get(s).length;
                float[][] expected = onnxStates(env, session, ids.get(s), types.get(s));
                float[] row = new float[hidden];
                double[] mean = new double[hidden];
                for (int k = 0; k < n; k++) {
                    backend.read(states, (long) (batch.offset(s) + k) * hidden, row, 0, hidden);
                    for (int d = 0; d < hidden; d++) {
                        maxAbs = Math.max(maxAbs, Math.abs(row[d] - expected[k][d]));
                        mean[d] += expected[k][d] / n;
                    }
                }
                backend.meanPool(states.rowSlice(batch.offset(s), n), 1, n, new int[] {n}, pooled);
                backend.l2Normalize(pooled);
                float[] embedding = new float[hidden];
                backend.read(pooled, 0, embedding, 0, hidden);
                minCosine = Math.min(minCosine, cosine(embedding, mean));
            }
            System.out.printf(Locale.ROOT, "TornadoVM %s vs ONNX Runtime: hidden states max abs diff %.3g, embeddings min cosine %.7f%n",
                    name, maxAbs, minCosine);
            assertTrue(maxAbs < 1e-3, "max abs diff " + maxAbs);
            assertTrue(minCosine >= 0.9999, "min cosine " + minCosine);
        }
    }

    private static float[][] onnxStates(OrtEnvironment env, OrtSession session, int[] ids, int[] types) throws Exception {
        int n = ids.length;
        long[] i = new long[n];
        long[] m = new long[n];
        long[] t = new long[n];
        for (int k = 0; k < n; k++) {
            i[k] = ids[k];
            m[k] = 1;
            t[k] = types[k];
        }
        try (OnnxTensor it = OnnxTensor.createTensor(env, LongBuffer.wrap(i), new long[] {1, n});
             OnnxTensor mt = OnnxTensor.createTensor(env, LongBuffer.wrap(m), new long[] {1, n});
             OnnxTensor tt = OnnxTensor.createTensor(env, LongBuffer.wrap(t), new long[] {1, n});
             OrtSession.Result r = session.run(Map.of("input_ids", it, "attention_mask", mt, "token_type_ids", tt))) {
            return ((float[][][]) r.get(0).getValue())[0];
        }
    }

    private static double cosine(float[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
