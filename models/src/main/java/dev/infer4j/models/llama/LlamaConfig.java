package dev.infer4j.models.llama;

import dev.infer4j.models.gguf.GgufMetadata;
import dev.infer4j.models.weights.ModelFormatException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Hyper-parameters of a Llama-family model, read from GGUF metadata ({@code <arch>.*} keys) the way
 * llama.cpp reads them.
 *
 * @param architecture      file layout and RoPE style
 * @param embeddingDim      {@code embedding_length}
 * @param layers            {@code block_count}
 * @param heads             {@code attention.head_count}
 * @param kvHeads           {@code attention.head_count_kv} (default: {@code heads})
 * @param headDim           {@code attention.key_length} (default: {@code embeddingDim / heads})
 * @param ffnDim            {@code feed_forward_length}
 * @param vocabSize         rows of {@code token_embd}
 * @param contextLength     {@code context_length} the model was trained with
 * @param rmsEps            {@code attention.layer_norm_rms_epsilon}
 * @param ropeDim           {@code rope.dimension_count} (default: {@code headDim})
 * @param ropeTheta         {@code rope.freq_base} (default 10000)
 * @param ropePositionScale 1 / {@code rope.scaling.factor} for linear scaling, else 1
 */
public record LlamaConfig(LlamaArchitecture architecture, int embeddingDim, int layers, int heads, int kvHeads,
                          int headDim, int ffnDim, int vocabSize, int contextLength, float rmsEps, int ropeDim,
                          float ropeTheta, float ropePositionScale) {
    private static final int MAX_DIM = 1 << 20;

    public LlamaConfig {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must be a multiple of kv heads (" + kvHeads + ")");
        }
        if (ropeDim > headDim || ropeDim % 2 != 0) {
            throw new IllegalArgumentException("RoPE dimension " + ropeDim + " must be even and at most the head dimension " + headDim);
        }
    }

    /** Width of the K and V rows of one token: {@code kvHeads * headDim}. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Width of the Q rows of one token: {@code heads * headDim}. */
    public int qDim() {
        return heads * headDim;
    }

    /**
     * Reads the config; {@code vocabSize} comes from the token embedding. Fails naming the key for a missing
     * or impossible value and naming the architecture when it is not a Llama-family one.
     */
    public static LlamaConfig fromGguf(Path file, GgufMetadata meta, int vocabSize) {
        String archName = meta.string("general.architecture");
        LlamaArchitecture arch = LlamaArchitecture.fromGgufName(archName);
        if (arch == null) {
            throw new ModelFormatException(file, null, "architecture '" + archName + "' is not supported; supported: "
                    + LlamaArchitecture.supportedNames());
        }
        String p = archName + ".";
        if (meta.integer(p + "expert_count", 0) > 0) {
            throw new ModelFormatException(file, null, "mixture-of-experts models (" + p + "expert_count = "
                    + meta.integer(p + "expert_count") + ") are not supported");
        }
        int dim = meta.intInRange(p + "embedding_length", 1, MAX_DIM);
        int layers = meta.intInRange(p + "block_count", 1, 1 << 12);
        int heads = meta.intInRange(p + "attention.head_count", 1, dim);
        int kvHeads = meta.intInRange(p + "attention.head_count_kv", 1, heads, heads);
        if (heads % kvHeads != 0) {
            throw new ModelFormatException(file, null, p + "attention.head_count (" + heads
                    + ") is not a multiple of " + p + "attention.head_count_kv (" + kvHeads + ")");
        }
        int headDim = meta.intInRange(p + "attention.key_length", 1, MAX_DIM, dim / heads);
        int valueDim = meta.intInRange(p + "attention.value_length", 1, MAX_DIM, dim / heads);
        if (valueDim != headDim || headDim % 2 != 0) {
            throw new ModelFormatException(file, null, "key length " + headDim + " and value length " + valueDim
                    + " must be equal and even");
        }
        int ffn = meta.intInRange(p + "feed_forward_length", 1, 1 << 24);
        int context = meta.intInRange(p + "context_length", 1, Integer.MAX_VALUE);
        double eps = meta.real(p + "attention.layer_norm_rms_epsilon");
        if (!(eps > 0 && eps < 1)) {
            throw new ModelFormatException(file, null, p + "attention.layer_norm_rms_epsilon must lie in (0, 1), found " + eps);
        }
        int ropeDim = meta.intInRange(p + "rope.dimension_count", 2, headDim, headDim);
        if (ropeDim % 2 != 0 || (arch == LlamaArchitecture.LLAMA && ropeDim != headDim)) {
            throw new ModelFormatException(file, null, p + "rope.dimension_count " + ropeDim
                    + " must be even" + (arch == LlamaArchitecture.LLAMA ? " and equal the head dimension " + headDim : ""));
        }
        double theta = meta.real(p + "rope.freq_base", 10000.0);
        if (!(theta > 1)) {
            throw new ModelFormatException(file, null, p + "rope.freq_base must be > 1, found " + theta);
        }
        return new LlamaConfig(arch, dim, layers, heads, kvHeads, headDim, ffn, vocabSize, context, (float) eps,
                ropeDim, (float) theta, ropePositionScale(file, meta, p));
    }

    private static float ropePositionScale(Path file, GgufMetadata meta, String p) {
        String type = meta.string(p + "rope.scaling.type", "linear").toLowerCase(Locale.ROOT);
        double factor = meta.has(p + "rope.scaling.factor") ? meta.real(p + "rope.scaling.factor")
                : meta.real(p + "rope.scale_linear", 0.0);
        switch (type) {
            case "none" -> {
                return 1f;
            }
            case "linear" -> {
                if (factor == 0 || factor == 1) {
                    return 1f;
                }
                if (!(factor > 0)) {
                    throw new ModelFormatException(file, null, p + "rope.scaling.factor must be positive, found " + factor);
                }
                return (float) (1.0 / factor);
            }
            default -> throw new ModelFormatException(file, null, "RoPE scaling '" + type
                    + "' is not supported (supported: none, linear; Llama-3 frequency factors come from rope_freqs.weight)");
        }
    }
}
