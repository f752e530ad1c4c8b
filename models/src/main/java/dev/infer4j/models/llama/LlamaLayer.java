package dev.infer4j.models.llama;

import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;

/**
 * The parameters of one transformer block, prepared for a backend. Fused GGUF matrices (Phi-3's
 * {@code attn_qkv}, {@code ffn_up} holding gate and up) arrive here already split into row views, so the
 * forward pass is the same for every {@link LlamaArchitecture}.
 *
 * @param attnNorm RMSNorm weight before attention, {@code [dim]}
 * @param q        {@code [heads * headDim, dim]}
 * @param k        {@code [kvHeads * headDim, dim]}
 * @param v        {@code [kvHeads * headDim, dim]}
 * @param qBias    null unless the architecture has Q/K/V biases
 * @param kBias    null unless the architecture has Q/K/V biases
 * @param vBias    null unless the architecture has Q/K/V biases
 * @param output   attention output projection {@code [dim, heads * headDim]}
 * @param ffnNorm  RMSNorm weight before the FFN, {@code [dim]}
 * @param gate     {@code [ffn, dim]}
 * @param up       {@code [ffn, dim]}
 * @param down     {@code [dim, ffn]}
 */
public record LlamaLayer(Tensor attnNorm, Weight q, Weight k, Weight v, Tensor qBias, Tensor kBias, Tensor vBias,
                         Weight output, Tensor ffnNorm, Weight gate, Weight up, Weight down) {
}
