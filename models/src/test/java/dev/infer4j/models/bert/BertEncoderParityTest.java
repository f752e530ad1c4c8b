package dev.infer4j.models.bert;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.models.registry.EncoderModelFiles;
import dev.infer4j.models.registry.ModelRegistry;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The encoder's last hidden states, and their mean, first-token and last-token pooling, against ONNX
 * Runtime on the same ONNX file, for a packed batch of sequences of different lengths and token types
 * (ids given directly, so no tokenizer is involved).
 */
class BertEncoderParityTest {

    static Backend backend() {
        return Backends.create("cpu", 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5"})
    void lastHiddenStatesMatchOnnxRuntime(String name) throws Exception {
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
             Backend backend = backend();
             BertWeights weights = BertWeights.load(files.weights(), files.config(), backend);
             OrtSession session = env.createSession(files.weights().file().toString(), new OrtSession.SessionOptions())) {
            BertEncoder encoder = new BertEncoder(backend, weights, 64);
            PackedBatch batch = PackedBatch.of(ids, types);
            Tensor states = encoder.forward(batch);
            int hidden = files.config().hiddenSize();
            SentencePooler pooler = new SentencePooler(backend, hidden, 8);
            float[][] mean = pooler.read(pooler.pool(states, batch, PoolingMode.MEAN), ids.size());
            float[][] cls = pooler.read(pooler.pool(states, batch, PoolingMode.CLS), ids.size());
            float[][] last = pooler.read(pooler.pool(states, batch, PoolingMode.LAST_TOKEN), ids.size());
            double maxAbs = 0;
            double maxPooledAbs = 0;
            for (int s = 0; s < ids.size(); s++) {
                int n = ids.get(s).length;
                long[] i = new long[n];
                long[] m = new long[n];
                long[] t = new long[n];
                for (int k = 0; k < n; k++) {
                    i[k] = ids.get(s)[k];
                    m[k] = 1;
                    t[k] = types.get(s)[k];
                }
                float[][][] expected;
                try (OnnxTensor it = OnnxTensor.createTensor(env, LongBuffer.wrap(i), new long[] {1, n});
                     OnnxTensor mt = OnnxTensor.createTensor(env, LongBuffer.wrap(m), new long[] {1, n});
                     OnnxTensor tt = OnnxTensor.createTensor(env, LongBuffer.wrap(t), new long[] {1, n});
                     OrtSession.Result r = session.run(Map.of("input_ids", it, "attention_mask", mt, "token_type_ids", tt))) {
                    expected = (float[][][]) r.get(0).getValue();
                }
                float[] row = new float[hidden];
                double[] expectedMean = new double[hidden];
                for (int k = 0; k < n; k++) {
                    backend.read(states, (long) (batch.offset(s) + k) * hidden, row, 0, hidden);
                    for (int d = 0; d < hidden; d++) {
                        maxAbs = Math.max(maxAbs, Math.abs(row[d] - expected[0][k][d]));
                        expectedMean[d] += expected[0][k][d] / n;
                    }
                }
                for (int d = 0; d < hidden; d++) {
                    maxPooledAbs = Math.max(maxPooledAbs, Math.abs(mean[s][d] - expectedMean[d]));
                    maxPooledAbs = Math.max(maxPooledAbs, Math.abs(cls[s][d] - expected[0][0][d]));
                    maxPooledAbs = Math.max(maxPooledAbs, Math.abs(last[s][d] - expected[0][n - 1][d]));
                }
            }
            System.out.printf("%s last_hidden_state vs ONNX Runtime: max abs diff %.3g%n", name, maxAbs);
            assertTrue(maxAbs < 1e-4, "max abs diff " + maxAbs);
            assertTrue(maxPooledAbs < 1e-4, "mean, CLS and last-token pooling: max abs diff " + maxPooledAbs);
        }
    }
}
