package dev.infer4j.models.registry;

import dev.infer4j.models.bert.BertConfig;
import dev.infer4j.models.bert.PoolingMode;
import dev.infer4j.models.weights.TensorStore;
import java.nio.file.Path;

/**
 * Everything needed to run a BERT-family encoder, resolved from a registry name or a path: the
 * mapped weights, the tokenizer file and the sentence-embedding settings. Closing unmaps the weights.
 *
 * @param name         registry name or the path it was loaded from
 * @param weights      the mapped weight file
 * @param tokenizerJson Hugging Face {@code tokenizer.json}
 * @param config       architecture hyper-parameters
 * @param pooling      sentence-embedding pooling
 * @param maxTokens    longest input, special tokens included (sentence-transformers' {@code max_seq_length})
 * @param normalize    whether embeddings are L2-normalised by default
 */
public record EncoderModelFiles(String name, TensorStore weights, Path tokenizerJson, BertConfig config,
                                PoolingMode pooling, int maxTokens, boolean normalize) implements AutoCloseable {
    public EncoderModelFiles {
        if (maxTokens <= 0 || maxTokens > config.maxPositions()) {
            throw new IllegalArgumentException("max tokens " + maxTokens + " must be in [1, " + config.maxPositions() + "]");
        }
    }

    @Override
    public void close() {
        weights.close();
    }
}
