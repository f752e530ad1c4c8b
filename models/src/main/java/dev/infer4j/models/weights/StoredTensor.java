package dev.infer4j.models.weights;

import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.WeightLayout;

/**
 * One named tensor of a model file, viewed in place.
 *
 * @param name   the parameter name in Hugging Face / PyTorch spelling, e.g. {@code encoder.layer.0.attention.self.query.weight}
 * @param tensor a view over the file's bytes (never copied); may be unaligned
 * @param layout how a 2-D matmul weight is stored: {@link WeightLayout#OUT_IN} for PyTorch/safetensors,
 *               {@link WeightLayout#IN_OUT} for ONNX {@code MatMul} initializers; meaningless for other tensors
 */
public record StoredTensor(String name, Tensor tensor, WeightLayout layout) {
}
