package dev.infer4j.benchmarks.server;

/** One benchmark client: posts a JSON body and fails unless the answer is 200. */
interface EmbeddingClient extends AutoCloseable {
    void post(String path, String json) throws Exception;
}
