package dev.infer4j.kernels;

/** How a weight matrix is stored in its file. */
public enum WeightLayout {
    /** {@code [out, in]}: each row is one output feature (GGUF, PyTorch {@code Linear}, safetensors). */
    OUT_IN,
    /** {@code [in, out]}: each row is one input feature (ONNX {@code MatMul} initializers). */
    IN_OUT
}
