package dev.infer4j.benchmarks.encoders;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The reference side of the encoder benchmarks: sentence embeddings the way a Java user of ONNX Runtime computes
 * them (HF tokenizer, one padded batch, masked mean pooling, L2), with every graph optimisation on.
 */
final class OrtSentenceEmbedder implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    /** Takes ownership of {@code tokenizer} (see {@link #tokenizer}). */
    OrtSentenceEmbedder(HuggingFaceTokenizer tokenizer, Path onnx, int threads) throws OrtException {
        this.tokenizer = tokenizer;
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(onnx.toString(), options);
    }

    /** The HF tokenizer as sentence-transformers configures MiniLM: truncation at 256, no padding. */
    static HuggingFaceTokenizer tokenizer(Path tokenizerJson) throws IOException {
        return HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                .optTruncation(true).optMaxLength(256).optPadding(false).build();
    }

    float[][] embed(List<String> texts) throws OrtException {
        int batch = texts.size();
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int longest = 0;
        for (Encoding e : encodings) {
            longest = Math.max(longest, e.getIds().length);
        }
        long[] ids = new long[batch * longest];
        long[] mask = new long[batch * longest];
        long[] types = new long[batch * longest];
        for (int b = 0; b < batch; b++) {
            long[] e = encodings[b].getIds();
            System.arraycopy(e, 0, ids, b * longest, e.length);
            Arrays.fill(mask, b * longest, b * longest + e.length, 1L);
        }
        long[] shapeOf = {batch, longest};
        try (OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shapeOf);
             OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shapeOf);
             OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shapeOf);
             OrtSession.Result r = session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t))) {
            // pool straight from ORT's output buffer (cheaper than its float[][][] conversion)
            FloatBuffer states = ((OnnxTensor) r.get(0)).getFloatBuffer();
            int width = (int) (states.capacity() / ((long) batch * longest));
            float[][] out = new float[batch][];
            for (int b = 0; b < batch; b++) {
                int n = encodings[b].getIds().length;
                float[] v = new float[width];
                for (int k = 0; k < n; k++) {
                    int row = (b * longest + k) * width;
                    for (int d = 0; d < width; d++) {
                        v[d] += states.get(row + d);
                    }
                }
                double sum = 0;
                for (int d = 0; d < v.length; d++) {
                    v[d] /= n;
                    sum += (double) v[d] * v[d];
                }
                float inv = (float) (1 / Math.max(Math.sqrt(sum), 1e-12));
                for (int d = 0; d < v.length; d++) {
                    v[d] *= inv;
                }
                out[b] = v;
            }
            return out;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
        tokenizer.close();
    }
}
