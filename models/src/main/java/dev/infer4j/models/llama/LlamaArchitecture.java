package dev.infer4j.models.llama;

import java.util.Arrays;

/**
 * The GGUF architectures that share the Llama forward pass (pre-norm RMSNorm blocks, RoPE, grouped-query
 * attention, SwiGLU FFN) and how their files differ. Mistral files use {@code llama}.
 *
 * @param ggufName       the {@code general.architecture} value
 * @param neoxRope       rotates pairs {@code (i, i + d/2)}; llama's converter instead permutes the Q/K rows
 *                       so that adjacent pairs {@code (2i, 2i+1)} rotate (llama.cpp's "normal" RoPE)
 * @param qkvBias        Q, K and V projections have biases (Qwen2)
 * @param fusedQkv       one {@code attn_qkv} matrix holds the Q, K and V rows in that order (Phi-3)
 * @param fusedGateUp    {@code ffn_up} holds the gate rows followed by the up rows (Phi-3)
 */
public enum LlamaArchitecture {
    LLAMA("llama", false, false, false, false),
    QWEN2("qwen2", true, true, false, false),
    PHI3("phi3", true, false, true, true);

    private final String ggufName;
    private final boolean neoxRope;
    private final boolean qkvBias;
    private final boolean fusedQkv;
    private final boolean fusedGateUp;

    LlamaArchitecture(String ggufName, boolean neoxRope, boolean qkvBias, boolean fusedQkv, boolean fusedGateUp) {
        this.ggufName = ggufName;
        this.neoxRope = neoxRope;
        this.qkvBias = qkvBias;
        this.fusedQkv = fusedQkv;
        this.fusedGateUp = fusedGateUp;
    }

    public String ggufName() {
        return ggufName;
    }

    public boolean neoxRope() {
        return neoxRope;
    }

    public boolean qkvBias() {
        return qkvBias;
    }

    public boolean fusedQkv() {
        return fusedQkv;
    }

    public boolean fusedGateUp() {
        return fusedGateUp;
    }

    /** The architecture of that GGUF name, or null. */
    public static LlamaArchitecture fromGgufName(String name) {
        for (LlamaArchitecture a : values()) {
            if (a.ggufName.equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** The supported names, for messages. */
    public static String supportedNames() {
        return Arrays.stream(values()).map(LlamaArchitecture::ggufName).toList() + " (Mistral files use llama)";
    }
}
