package dev.infer4j.engine.testing;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reference: ONNX Runtime running the same ONNX file, fed by Hugging Face's own tokenizer (DJL
 * binding) with truncation at the model's maximum and no fixed padding, in padded batches with an
 * attention mask, as a Python sentence-transformers pipeline would.
 */
public final class OrtEncoder implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    public OrtEncoder(Path onnx, Path tokenizerJson, int maxTokens) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(2);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(onnx.toString(), options);
            tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                    .optTruncation(true).optMaxLength(maxTokens).optPadding(false).build();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Token ids as HF tokenizes (with special tokens, truncated to the maximum). */
    public long[][] tokenize(List<String> texts) {
        long[][] ids = new long[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            ids[i] = tokenizer.encode(texts.get(i)).getIds();
        }
        return ids;
    }

    public long[][][] tokenizePairs(List<String> firsts, List<String> seconds) {
        long[][][] out = new long[firsts.size()][][];
        for (int i = 0; i < firsts.size(); i++) {
            Encoding e = tokenizer.encode(firsts.get(i), seconds.get(i));
            out[i] = new long[][] {e.getIds(), e.getTypeIds()};
        }
        return out;
    }

    /** Runs one padded batch; returns the named output ({@code [batch][...]} flattened per row). */
    public float[][][] run(long[][] ids, long[][] typeIds, String output) {
        int batch = ids.length;
        int longest = 0;
        for (long[] s : ids) {
            longest = Math.max(longest, s.length);
        }
        long[] flatIds = new long[batch * longest];
        long[] flatMask = new long[batch * longest];
        long[] flatTypes = new long[batch * longest];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < ids[b].length; t++) {
                flatIds[b * longest + t] = ids[b][t];
                flatMask[b * longest + t] = 1;
                flatTypes[b * longest + t] = typeIds == null ? 0 : typeIds[b][t];
            }
        }
        long[] shape = {batch, longest};
        try (OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(flatIds), shape);
             OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(flatMask), shape);
             OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(flatTypes), shape);
             OrtSession.Result r = session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t))) {
            Object value = r.get(output).orElseThrow().getValue();
            if (value instanceof float[][][] states) {
                return states;
            }
            float[][] rows = (float[][]) value;
            float[][][] wrapped = new float[rows.length][][];
            for (int b = 0; b < rows.length; b++) {
                wrapped[b] = new float[][] {rows[b]};
            }
            return wrapped;
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sentence embeddings: last_hidden_state pooled (mean over real tokens, or CLS) and optionally L2-normalised. */
    public float[][] embed(List<String> texts, boolean clsPooling, boolean normalize, int batchSize) {
        long[][] ids = tokenize(texts);
        List<float[]> out = new ArrayList<>();
        for (int from = 0; from < ids.length; from += batchSize) {
            long[][] chunk = java.util.Arrays.copyOfRange(ids, from, Math.min(ids.length, from + batchSize));
            float[][][] states = run(chunk, null, "last_hidden_state");
            for (int b = 0; b < chunk.length; b++) {
                float[] v = new float[states[b][0].length];
                if (clsPooling) {
                    System.arraycopy(states[b][0], 0, v, 0, v.length);
                } else {
                    for (int t = 0; t < chunk[b].length; t++) {
                        for (int d = 0; d < v.length; d++) {
                            v[d] += states[b][t][d];
                        }
                    }
                    for (int d = 0; d < v.length; d++) {
                        v[d] /= chunk[b].length;
                    }
                }
                if (normalize) {
                    double sum = 0;
                    for (float x : v) {
                        sum += (double) x * x;
                    }
                    double norm = Math.max(Math.sqrt(sum), 1e-12);
                    for (int d = 0; d < v.length; d++) {
                        v[d] = (float) (v[d] / norm);
                    }
                }
                out.add(v);
            }
        }
        return out.toArray(new float[0][]);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        tokenizer.close();
    }

    /** Cosine similarity in double precision. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
