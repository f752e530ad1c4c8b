package dev.infer4j.server.model;

import java.util.List;

/** The inputs of one embedding request: texts, or token ids (without special tokens). */
public sealed interface EmbeddingInputs {

    int size();

    record Texts(List<String> texts) implements EmbeddingInputs {
        public int size() {
            return texts.size();
        }
    }

    record TokenIds(List<int[]> ids) implements EmbeddingInputs {
        public int size() {
            return ids.size();
        }
    }
}
