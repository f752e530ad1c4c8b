package dev.infer4j.models.bert;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.models.weights.ModelFormatException;
import dev.infer4j.models.weights.StoredTensor;
import dev.infer4j.models.weights.TensorStore;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parameters of a BERT encoder, checked against its {@link BertConfig} and prepared for a backend.
 * Matrices and embedding tables stay in the mapped file; the small vectors (biases, LayerNorm
 * parameters) are copied once into aligned F32 memory, so every file dtype and alignment reaches the
 * kernels in the same form.
 */
public final class BertWeights implements AutoCloseable {

    /** Parameters of one transformer layer. */
    public record Layer(Weight query, Tensor queryBias, Weight key, Tensor keyBias, Weight value, Tensor valueBias,
                        Weight attentionOut, Tensor attentionOutBias, Tensor attentionNormWeight, Tensor attentionNormBias,
                        Weight intermediate, Tensor intermediateBias, Weight output, Tensor outputBias,
                        Tensor outputNormWeight, Tensor outputNormBias) {
    }

    /** The sequence-classification head, when the checkpoint has one. */
    public record ClassifierHead(Weight pooler, Tensor poolerBias, Weight classifier, Tensor classifierBias) {
    }

    private final BertConfig config;
    private final Arena vectors;
    private final Tensor wordEmbeddings;
    private final Tensor positionEmbeddings;
    private final Tensor tokenTypeEmbeddings;
    private final Tensor embeddingNormWeight;
    private final Tensor embeddingNormBias;
    private final List<Layer> layers;
    private final ClassifierHead classifierHead;

    private BertWeights(BertConfig config, Arena vectors, Loader load) {
        this.config = config;
        this.vectors = vectors;
        int hidden = config.hiddenSize();
        int ffn = config.intermediateSize();
        wordEmbeddings = load.table(BertParameters.WORD_EMBEDDINGS, config.vocabSize(), hidden);
        positionEmbeddings = load.table(BertParameters.POSITION_EMBEDDINGS, config.maxPositions(), hidden);
        tokenTypeEmbeddings = load.table(BertParameters.TOKEN_TYPE_EMBEDDINGS, config.typeVocabSize(), hidden);
        embeddingNormWeight = load.vector(BertParameters.EMBEDDINGS_NORM_WEIGHT, hidden);
        embeddingNormBias = load.vector(BertParameters.EMBEDDINGS_NORM_BIAS, hidden);
        List<Layer> list = new ArrayList<>(config.layers());
        for (int l = 0; l < config.layers(); l++) {
            int i = l;
            list.add(new Layer(
                    load.matrix(BertParameters.layer(i, BertParameters.QUERY_WEIGHT), hidden, hidden),
                    load.vector(BertParameters.layer(i, BertParameters.QUERY_BIAS), hidden),
                    load.matrix(BertParameters.layer(i, BertParameters.KEY_WEIGHT), hidden, hidden),
                    load.vector(BertParameters.layer(i, BertParameters.KEY_BIAS), hidden),
                    load.matrix(BertParameters.layer(i, BertParameters.VALUE_WEIGHT), hidden, hidden),
                    load.vector(BertParameters.layer(i, BertParameters.VALUE_BIAS), hidden),
                    load.matrix(BertParameters.layer(i, BertParameters.ATTENTION_OUT_WEIGHT), hidden, hidden),
                    load.vector(BertParameters.layer(i, BertParameters.ATTENTION_OUT_BIAS), hidden),
                    load.vector(BertParameters.layer(i, BertParameters.ATTENTION_NORM_WEIGHT), hidden),
                    load.vector(BertParameters.layer(i, BertParameters.ATTENTION_NORM_BIAS), hidden),
                    load.matrix(BertParameters.layer(i, BertParameters.INTERMEDIATE_WEIGHT), ffn, hidden),
                    load.vector(BertParameters.layer(i, BertParameters.INTERMEDIATE_BIAS), ffn),
                    load.matrix(BertParameters.layer(i, BertParameters.OUTPUT_WEIGHT), hidden, ffn),
                    load.vector(BertParameters.layer(i, BertParameters.OUTPUT_BIAS), hidden),
                    load.vector(BertParameters.layer(i, BertParameters.OUTPUT_NORM_WEIGHT), hidden),
                    load.vector(BertParameters.layer(i, BertParameters.OUTPUT_NORM_BIAS), hidden)));
        }
        layers = List.copyOf(list);
        classifierHead = config.labels().isEmpty() ? null : new ClassifierHead(
                load.matrix(BertParameters.POOLER_WEIGHT, hidden, hidden),
                load.vector(BertParameters.POOLER_BIAS, hidden),
                load.matrix(BertParameters.CLASSIFIER_WEIGHT, config.labels().size(), hidden),
                load.vector(BertParameters.CLASSIFIER_BIAS, config.labels().size()));
    }

    /**
     * Checks every parameter's presence and shape against {@code config} and prepares the matrices on
     * {@code backend}; throws {@link ModelFormatException} naming the file and tensor at fault.
     */
    public static BertWeights load(TensorStore store, BertConfig config, Backend backend) {
        Arena vectors = Arena.ofShared();
        try {
            return new BertWeights(config, vectors, new Loader(store, backend, vectors));
        } catch (RuntimeException e) {
            vectors.close();
            throw e;
        }
    }

    public BertConfig config() {
        return config;
    }

    public Tensor wordEmbeddings() {
        return wordEmbeddings;
    }

    public Tensor positionEmbeddings() {
        return positionEmbeddings;
    }

    public Tensor tokenTypeEmbeddings() {
        return tokenTypeEmbeddings;
    }

    public Tensor embeddingNormWeight() {
        return embeddingNormWeight;
    }

    public Tensor embeddingNormBias() {
        return embeddingNormBias;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The classification head, or null when the configuration has no labels. */
    public ClassifierHead classifierHead() {
        return classifierHead;
    }

    @Override
    public void close() {
        vectors.close();
    }

    /** Looks parameters up, checks their shapes and hands them to the backend. */
    private record Loader(TensorStore store, Backend backend, Arena vectors) {

        Tensor table(String name, long rows, long columns) {
            StoredTensor t = BertParameters.require(store, name);
            expectShape(t, new long[] {rows, columns}, t.tensor().shape());
            return t.tensor();
        }

        /** A matrix of {@code out} outputs and {@code in} inputs, in either stored layout. */
        Weight matrix(String name, long out, long in) {
            StoredTensor t = BertParameters.require(store, name);
            long[] expected = t.layout() == WeightLayout.OUT_IN ? new long[] {out, in} : new long[] {in, out};
            expectShape(t, expected, t.tensor().shape());
            Weight prepared = backend.prepareWeight(t.tensor(), t.layout());
            // a backend that repacks has copied what it needs: drop the file pages from the resident set so
            // memory holds one copy of the weights; one that reads them in place faults them back on first use
            if (t.tensor().segment().isMapped()) {
                t.tensor().segment().unload();
            }
            return prepared;
        }

        /** A vector copied to aligned F32 memory. */
        Tensor vector(String name, long length) {
            StoredTensor t = BertParameters.require(store, name);
            Tensor src = t.tensor();
            long[] shape = src.shape();
            if (src.elementCount() != length || shape[shape.length - 1] != length) {
                throw new ModelFormatException(store.file(), t.name(), "shape " + Arrays.toString(shape)
                        + " does not match the configuration: expected [" + length + "]");
            }
            Tensor copy = Tensor.allocate(vectors, DType.F32, length);
            MemorySegment from = src.segment();
            MemorySegment to = copy.segment();
            for (long i = 0; i < length; i++) {
                float v = switch (src.dtype()) {
                    case F32 -> from.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
                    case F16 -> Float.float16ToFloat(from.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i));
                    case BF16 -> Float.intBitsToFloat(from.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i) << 16);
                    default -> throw new ModelFormatException(store.file(), t.name(), "dtype " + src.dtype()
                            + " is not supported for a bias or norm vector");
                };
                to.setAtIndex(ValueLayout.JAVA_FLOAT, i, v);
            }
            return copy;
        }

        private void expectShape(StoredTensor t, long[] expected, long[] actual) {
            if (!Arrays.equals(expected, actual)) {
                throw new ModelFormatException(store.file(), t.name(), "shape " + Arrays.toString(actual)
                        + " does not match the configuration: expected " + Arrays.toString(expected)
                        + (t.layout() == WeightLayout.IN_OUT ? " (stored [in, out])" : ""));
            }
        }
    }
}
