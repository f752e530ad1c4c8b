package dev.infer4j.models.onnx;

import java.util.List;
import java.util.Map;

/**
 * One node of an ONNX graph, as far as weight mapping needs it.
 *
 * @param name    node name; PyTorch exports use the module path, e.g. {@code /encoder/layer.0/attention/self/query/MatMul}
 * @param opType  operator, e.g. {@code MatMul}
 * @param domain  operator set domain; empty for the standard {@code ai.onnx} set
 * @param inputs  input value names in order (initializer names among them)
 * @param outputs output value names
 * @param intAttributes the node's integer attributes (e.g. {@code transB} of {@code Gemm})
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, Long> intAttributes) {
}
