package dev.infer4j.engine.embed;

import dev.infer4j.engine.encoder.EncoderRunner;
import dev.infer4j.engine.encoder.InputTokenizer;
import dev.infer4j.engine.encoder.TokenizedInput;
import dev.infer4j.models.bert.PoolingMode;
import dev.infer4j.models.bert.SentencePooler;
import dev.infer4j.models.registry.EncoderModelFiles;
import dev.infer4j.tokenizer.Tokenizers;
import java.util.Arrays;
import java.util.List;

/**
 * Sentence embeddings from a BERT-family encoder: tokenize, encode in length-sorted micro-batches,
 * pool (mean, CLS or last token), then optionally cut to Matryoshka {@code dimensions} and
 * L2-normalise. Thread-safe.
 */
public final class EncoderEmbeddingModel implements EmbeddingModel {
    private final EncoderRunner runner;
    private final InputTokenizer tokenizer;
    private final SentencePooler pooler;
    private final EmbeddingModelInfo info;
    private final PoolingMode pooling;

    /** Takes ownership of the runner (and so of the model files). */
    public EncoderEmbeddingModel(EncoderRunner runner) {
        EncoderModelFiles files = runner.files();
        this.runner = runner;
        this.tokenizer = new InputTokenizer(Tokenizers.fromJson(files.tokenizerJson()), files.maxTokens());
        this.pooling = files.pooling();
        this.pooler = new SentencePooler(runner.backend(), files.config().hiddenSize(), runner.capacityTokens());
        this.info = new EmbeddingModelInfo(files.name(), files.config().hiddenSize(), files.maxTokens(),
                Pooling.valueOf(files.pooling().name()), files.normalize());
    }

    @Override
    public EmbeddingModelInfo info() {
        return info;
    }

    @Override
    public EmbeddingResult embed(List<String> texts, EmbedOptions options) {
        EmbedOptions o = options == null ? EmbedOptions.DEFAULT : options;
        checkDimensions(o);
        return embedInputs(tokenizer.texts(texts, o.truncate(), o.truncateLeft()), o);
    }

    @Override
    public EmbeddingResult embedTokens(List<int[]> tokenIds, EmbedOptions options) {
        EmbedOptions o = options == null ? EmbedOptions.DEFAULT : options;
        checkDimensions(o);
        return embedInputs(tokenizer.tokenIds(tokenIds, o.truncate(), o.truncateLeft()), o);
    }

    @Override
    public int[] tokenize(String text) {
        return tokenizer.tokenizer().encode(text, true).ids();
    }

    @Override
    public int[] tokenize(String text, boolean addSpecialTokens) {
        return tokenizer.tokenizer().encode(text, addSpecialTokens).ids();
    }

    private void checkDimensions(EmbedOptions o) {
        if (o.dimensions() != null && (o.dimensions() < 1 || o.dimensions() > info.dimensions())) {
            throw new IllegalArgumentException("dimensions must be in [1, " + info.dimensions() + "], got " + o.dimensions());
        }
    }

    private EmbeddingResult embedInputs(List<TokenizedInput> inputs, EmbedOptions o) {
        float[][] pooled = runner.run(inputs, (states, batch) -> pooler.read(pooler.pool(states, batch, pooling), batch.sequences()));
        boolean normalize = o.normalize() == null ? info.normalize() : o.normalize();
        int[] tokenCounts = new int[inputs.size()];
        boolean[] truncated = new boolean[inputs.size()];
        for (int i = 0; i < pooled.length; i++) {
            tokenCounts[i] = inputs.get(i).length();
            truncated[i] = inputs.get(i).truncated();
            if (o.dimensions() != null && o.dimensions() < pooled[i].length) {
                pooled[i] = Arrays.copyOf(pooled[i], o.dimensions());
            }
            if (normalize) {
                l2Normalize(pooled[i]);
            }
        }
        return new EmbeddingResult(pooled, tokenCounts, truncated);
    }

    /** {@code v /= max(‖v‖, 1e-12)}, as torch.nn.functional.normalize does. */
    static void l2Normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float inv = (float) (1.0 / Math.max(Math.sqrt(sum), 1e-12));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
    }

    @Override
    public void close() {
        runner.close();
    }
}
