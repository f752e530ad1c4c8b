package dev.infer4j.engine.rerank;

import java.util.List;

/** A cross-encoder that scores how relevant each document is to a query. Thread-safe. */
public interface Reranker extends AutoCloseable {

    /** Longest (query, document) pair the model takes, special tokens included. */
    int maxTokens();

    /** Scores every document against the query and ranks them. */
    RerankResult rerank(String query, List<String> documents, RerankOptions options);

    @Override
    void close();
}
