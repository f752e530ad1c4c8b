package dev.infer4j.engine.classify;

import dev.infer4j.engine.encoder.EncoderRunner;
import dev.infer4j.engine.encoder.InputTokenizer;
import dev.infer4j.engine.encoder.TokenizedInput;
import dev.infer4j.models.bert.BertClassificationHead;
import dev.infer4j.models.bert.BertConfig;
import dev.infer4j.tokenizer.Tokenizers;
import java.util.List;

/** {@code BertForSequenceClassification}: encoder, pooler and classifier, then softmax or sigmoid. Thread-safe. */
public final class EncoderTextClassifier implements TextClassifier {
    private final EncoderRunner runner;
    private final InputTokenizer tokenizer;
    private final BertClassificationHead head;
    private final BertConfig config;

    /** Takes ownership of the runner; its model must have a classification head. */
    public EncoderTextClassifier(EncoderRunner runner) {
        this.runner = runner;
        this.config = runner.files().config();
        this.tokenizer = new InputTokenizer(Tokenizers.fromJson(runner.files().tokenizerJson()), runner.files().maxTokens());
        this.head = new BertClassificationHead(runner.backend(), runner.weights(), runner.capacityTokens());
    }

    @Override
    public List<String> labels() {
        return config.labels();
    }

    @Override
    public int maxTokens() {
        return tokenizer.maxTokens();
    }

    @Override
    public ClassificationResult classify(List<String> texts, ClassifyOptions options) {
        ClassifyOptions o = options == null ? ClassifyOptions.DEFAULT : options;
        return score(tokenizer.texts(texts, o.truncate(), false), o);
    }

    @Override
    public ClassificationResult classifyPairs(List<String> firsts, List<String> seconds, ClassifyOptions options) {
        if (firsts.size() != seconds.size()) {
            throw new IllegalArgumentException(firsts.size() + " first texts but " + seconds.size() + " second texts");
        }
        ClassifyOptions o = options == null ? ClassifyOptions.DEFAULT : options;
        return score(tokenizer.pairs(firsts, seconds, o.truncate()), o);
    }

    private ClassificationResult score(List<TokenizedInput> inputs, ClassifyOptions o) {
        float[][] scores = runner.run(inputs, head::logits);
        ScoreActivation activation = o.activation() != null ? o.activation()
                : config.multiLabel() ? ScoreActivation.SIGMOID : ScoreActivation.SOFTMAX;
        int[] counts = new int[inputs.size()];
        boolean[] truncated = new boolean[inputs.size()];
        for (int i = 0; i < scores.length; i++) {
            activation.apply(scores[i]);
            counts[i] = inputs.get(i).length();
            truncated[i] = inputs.get(i).truncated();
        }
        return new ClassificationResult(config.labels(), scores, counts, truncated);
    }

    @Override
    public void close() {
        runner.close();
    }
}
