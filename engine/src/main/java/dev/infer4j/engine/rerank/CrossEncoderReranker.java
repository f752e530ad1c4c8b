package dev.infer4j.engine.rerank;

import dev.infer4j.engine.encoder.EncoderRunner;
import dev.infer4j.engine.encoder.InputTokenizer;
import dev.infer4j.engine.encoder.TokenizedInput;
import dev.infer4j.models.bert.BertClassificationHead;
import dev.infer4j.tokenizer.Tokenizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A BERT cross-encoder (sequence classification with one relevance logit, e.g. the ms-marco
 * MiniLM rerankers): each {@code [CLS] query [SEP] document [SEP]} is scored, sigmoid applied as
 * sentence-transformers' CrossEncoder does for a single label. Thread-safe.
 */
public final class CrossEncoderReranker implements Reranker {
    private final EncoderRunner runner;
    private final InputTokenizer tokenizer;
    private final BertClassificationHead head;

    /** Takes ownership of the runner; its model must have a single-label classification head. */
    public CrossEncoderReranker(EncoderRunner runner) {
        int labels = runner.files().config().labels().size();
        if (labels != 1) {
            throw new IllegalArgumentException(runner.files().name() + " has " + labels
                    + " labels; a cross-encoder reranker has exactly one relevance logit");
        }
        this.runner = runner;
        this.tokenizer = new InputTokenizer(Tokenizers.fromJson(runner.files().tokenizerJson()), runner.files().maxTokens());
        this.head = new BertClassificationHead(runner.backend(), runner.weights(), runner.capacityTokens());
    }

    @Override
    public int maxTokens() {
        return tokenizer.maxTokens();
    }

    @Override
    public RerankResult rerank(String query, List<String> documents, RerankOptions options) {
        RerankOptions o = options == null ? RerankOptions.DEFAULT : options;
        List<TokenizedInput> inputs = tokenizer.pairs(Collections.nCopies(documents.size(), query), documents, o.truncate());
        float[][] logits = runner.run(inputs, head::logits);
        int n = documents.size();
        float[] scores = new float[n];
        int[] counts = new int[n];
        boolean[] truncated = new boolean[n];
        for (int i = 0; i < n; i++) {
            float logit = logits[i][0];
            scores[i] = o.rawScores() ? logit : (float) (1.0 / (1.0 + Math.exp(-logit)));
            counts[i] = inputs.get(i).length();
            truncated[i] = inputs.get(i).truncated();
        }
        return new RerankResult(scores, ranking(scores), counts, truncated);
    }

    /** Indices by descending score; a stable sort keeps input order among ties. */
    static int[] ranking(float[] scores) {
        List<Integer> order = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Float.compare(scores[b], scores[a]));
        int[] result = new int[scores.length];
        Arrays.setAll(result, order::get);
        return result;
    }

    @Override
    public void close() {
        runner.close();
    }
}
