package dev.infer4j.models.llama;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.weights.ModelFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every parameter of a Llama-family model, taken from a GGUF file by llama.cpp's tensor names, shape-checked
 * against the config and prepared for a backend. Matrices stay in the file's mapping (and dtype) unless the
 * backend chooses to repack them.
 *
 * @param tokenEmbedding {@code token_embd.weight}, {@code [vocab, dim]}, any dtype
 * @param outputNorm     {@code output_norm.weight}
 * @param output         {@code output.weight}, or the token embedding when the file ties them
 * @param ropeFreqs      Llama-3 {@code rope_freqs.weight} ({@code ropeDim / 2} divisors), or null
 * @param layers         one entry per block
 */
public record LlamaWeights(Tensor tokenEmbedding, Tensor outputNorm, Weight output, Tensor ropeFreqs,
                           List<LlamaLayer> layers) {

    public static LlamaWeights load(GgufFile file, LlamaConfig c, Backend backend) {
        Loader l = new Loader(file, backend);
        int dim = c.embeddingDim();
        Tensor embd = l.tensor("token_embd.weight", c.vocabSize(), dim);
        Tensor outputNorm = l.vector("output_norm.weight", dim);
        Tensor outputTensor = file.find("output.weight") == null ? embd : l.tensor("output.weight", c.vocabSize(), dim);
        Weight output = l.weight(outputTensor);
        Tensor ropeFreqs = file.find("rope_freqs.weight") == null ? null : l.vector("rope_freqs.weight", c.ropeDim() / 2);

        List<LlamaLayer> layers = new ArrayList<>(c.layers());
        for (int i = 0; i < c.layers(); i++) {
            layers.add(layer(l, c, "blk." + i + "."));
        }
        return new LlamaWeights(embd, outputNorm, output, ropeFreqs, List.copyOf(layers));
    }

    private static LlamaLayer layer(Loader l, LlamaConfig c, String p) {
        int dim = c.embeddingDim();
        LlamaArchitecture a = c.architecture();
        Weight q;
        Weight k;
        Weight v;
        if (a.fusedQkv()) {
            Tensor qkv = l.tensor(p + "attn_qkv.weight", c.qDim() + 2L * c.kvDim(), dim);
            q = l.weight(qkv.rowSlice(0, c.qDim()));
            k = l.weight(qkv.rowSlice(c.qDim(), c.kvDim()));
            v = l.weight(qkv.rowSlice(c.qDim() + (long) c.kvDim(), c.kvDim()));
        } else {
            q = l.weight(l.tensor(p + "attn_q.weight", c.qDim(), dim));
            k = l.weight(l.tensor(p + "attn_k.weight", c.kvDim(), dim));
            v = l.weight(l.tensor(p + "attn_v.weight", c.kvDim(), dim));
        }
        Tensor qBias = a.qkvBias() ? l.vector(p + "attn_q.bias", c.qDim()) : null;
        Tensor kBias = a.qkvBias() ? l.vector(p + "attn_k.bias", c.kvDim()) : null;
        Tensor vBias = a.qkvBias() ? l.vector(p + "attn_v.bias", c.kvDim()) : null;
        Weight output = l.weight(l.tensor(p + "attn_output.weight", dim, c.qDim()));
        Weight gate;
        Weight up;
        if (a.fusedGateUp()) {
            Tensor gateUp = l.tensor(p + "ffn_up.weight", 2L * c.ffnDim(), dim);
            gate = l.weight(gateUp.rowSlice(0, c.ffnDim()));
            up = l.weight(gateUp.rowSlice(c.ffnDim(), c.ffnDim()));
        } else {
            gate = l.weight(l.tensor(p + "ffn_gate.weight", c.ffnDim(), dim));
            up = l.weight(l.tensor(p + "ffn_up.weight", c.ffnDim(), dim));
        }
        Weight down = l.weight(l.tensor(p + "ffn_down.weight", dim, c.ffnDim()));
        return new LlamaLayer(l.vector(p + "attn_norm.weight", dim), q, k, v, qBias, kBias, vBias, output,
                l.vector(p + "ffn_norm.weight", dim), gate, up, down);
    }

    /** Finds tensors and checks their shapes and dtypes, naming the tensor when one is wrong. */
    private record Loader(GgufFile file, Backend backend) {
        Tensor tensor(String name, long rows, long columns) {
            Tensor t = file.require(name).tensor();
            if (t.rank() != 2 || t.dim(0) != rows || t.dim(1) != columns) {
                throw new ModelFormatException(file.file(), name, "expected shape [" + rows + ", " + columns
                        + "] (from the metadata), found " + Arrays.toString(t.shape()));
            }
            if (t.dtype() == DType.I32) {
                throw new ModelFormatException(file.file(), name, "a weight matrix cannot be I32");
            }
            return t;
        }

        /** A norm weight, bias or factor vector: F32 of {@code length} elements. */
        Tensor vector(String name, long length) {
            Tensor t = file.require(name).tensor();
            if (t.elementCount() != length || t.rows() != 1) {
                throw new ModelFormatException(file.file(), name, "expected a vector of " + length
                        + " elements (from the metadata), found shape " + Arrays.toString(t.shape()));
            }
            if (t.dtype() != DType.F32) {
                throw new ModelFormatException(file.file(), name, "expected F32, found " + t.dtype());
            }
            return t;
        }

        /**
         * The matrix prepared for the backend. A backend that repacks has copied what it needs, so the file pages
         * leave the resident set at once: the process never holds the weights twice, not even while loading (one
         * that reads them in place faults them back on first use).
         */
        Weight weight(Tensor t) {
            Weight prepared = backend.prepareWeight(t, WeightLayout.OUT_IN);
            if (t.segment().isMapped()) {
                t.segment().unload();
            }
            return prepared;
        }
    }
}
