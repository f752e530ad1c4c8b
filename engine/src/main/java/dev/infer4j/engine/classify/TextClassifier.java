package dev.infer4j.engine.classify;

import java.util.List;

/** A sequence-classification model (e.g. sentiment, NLI). Thread-safe. */
public interface TextClassifier extends AutoCloseable {

    /** Label names by id, from the model's {@code id2label}. */
    List<String> labels();

    /** Longest input the model takes, special tokens included. */
    int maxTokens();

    /** Scores every label for each text. */
    ClassificationResult classify(List<String> texts, ClassifyOptions options);

    /** Scores every label for each pair of texts (e.g. premise and hypothesis). */
    ClassificationResult classifyPairs(List<String> firsts, List<String> seconds, ClassifyOptions options);

    @Override
    void close();
}
