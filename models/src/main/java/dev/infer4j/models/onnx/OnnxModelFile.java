package dev.infer4j.models.onnx;

import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.models.weights.ModelFormatException;
import dev.infer4j.models.weights.StoredTensor;
import dev.infer4j.models.weights.TensorStore;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The initializers of a plain (unfused) PyTorch ONNX export, memory-mapped and viewed in place.
 *
 * <p>Named initializers (biases, norms, embeddings) keep their names. Linear weights that the
 * exporter stored as anonymous, transposed {@code MatMul} inputs ({@code onnx::MatMul_787}, shape
 * {@code [in, out]}) get the parameter name of their module, taken from the consuming node's path:
 * {@code /encoder/layer.0/attention/self/query/MatMul} gives {@code encoder.layer.0.attention.self.query.weight},
 * with layout {@link WeightLayout#IN_OUT}.
 */
public final class OnnxModelFile implements TensorStore {
    /** Standard operators that only quantized graphs use. */
    private static final Set<String> QUANTIZED_OPS = Set.of("MatMulInteger", "QLinearMatMul", "DynamicQuantizeLinear",
            "QuantizeLinear", "DequantizeLinear", "ConvInteger", "QLinearConv");

    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final List<OnnxNode> nodes;
    private final List<OnnxInitializer> initializers;
    private final Map<String, Mapped> byParameter;

    private record Mapped(OnnxInitializer initializer, WeightLayout layout) {
    }

    private OnnxModelFile(Path file, Arena arena, MemorySegment data, OnnxGraphParser.Graph graph) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.nodes = graph.nodes();
        this.initializers = graph.initializers();
        rejectFusedGraph();
        for (OnnxInitializer init : initializers) {
            checkExtent(init);
        }
        this.byParameter = mapParameters();
    }

    /** Maps {@code file} and parses its graph; throws {@link ModelFormatException} for a malformed, truncated or fused model. */
    public static OnnxModelFile open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new OnnxModelFile(file, arena, data, OnnxGraphParser.parse(data, file));
        } catch (IOException e) {
            arena.close();
            throw new ModelFormatException(file, null, "cannot read: " + e, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public List<OnnxNode> nodes() {
        return nodes;
    }

    public List<OnnxInitializer> initializers() {
        return initializers;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public Collection<String> names() {
        return Collections.unmodifiableSet(byParameter.keySet());
    }

    @Override
    public StoredTensor find(String name) {
        Mapped m = byParameter.get(name);
        return m == null ? null : new StoredTensor(name, view(m.initializer()), m.layout());
    }

    /** The initializer's data as a tensor view over the mapped file; throws for types infer4j does not read. */
    public Tensor view(OnnxInitializer init) {
        OnnxDataType type = OnnxDataType.of(init.dataTypeCode());
        if (type.dtype == null) {
            throw new ModelFormatException(file, init.name(), "data type " + type
                    + " is not supported for weights (infer4j reads FLOAT, FLOAT16 and BFLOAT16)");
        }
        long[] dims = init.dims();
        if (dims.length > 4) {
            throw new ModelFormatException(file, init.name(), "rank " + dims.length + " is not supported (at most 4)");
        }
        for (long d : dims) {
            if (d == 0) {
                throw new ModelFormatException(file, init.name(), "is empty (shape " + Arrays.toString(dims) + ")");
            }
        }
        long[] shape = dims.length == 0 ? new long[] {1} : dims;
        return Tensor.of(type.dtype, data.asSlice(init.dataOffset(), init.dataLength()), shape);
    }

    private void checkExtent(OnnxInitializer init) {
        OnnxDataType type = OnnxDataType.of(init.dataTypeCode());
        if (type == null || type == OnnxDataType.UNDEFINED) {
            throw new ModelFormatException(file, init.name(), "unknown ONNX data type code " + init.dataTypeCode());
        }
        if (init.external()) {
            throw new ModelFormatException(file, init.name(), "data is stored in an external file, which infer4j does "
                    + "not read; save the model with its weights inside the .onnx file");
        }
        for (long d : init.dims()) {
            if (d < 0) {
                throw new ModelFormatException(file, init.name(), "negative dimension in shape " + Arrays.toString(init.dims()));
            }
        }
        if (type.dtype == null) {
            return; // not a weight type (e.g. INT64 position ids): located but never viewed
        }
        long expected;
        try {
            expected = Math.multiplyExact(init.elementCount(), type.elementBytes);
        } catch (ArithmeticException e) {
            throw new ModelFormatException(file, init.name(), "shape " + Arrays.toString(init.dims()) + " overflows");
        }
        if (init.dataOffset() < 0) {
            throw new ModelFormatException(file, init.name(), "has no raw_data or packed float_data");
        }
        if (init.dataLength() != expected) {
            throw new ModelFormatException(file, init.name(), "shape " + Arrays.toString(init.dims()) + " of " + type
                    + " needs " + expected + " bytes but the tensor holds " + init.dataLength());
        }
    }

    /** Fused operators (com.microsoft Attention, SkipLayerNormalization, …) and quantized graphs hide the BERT parameters. */
    private void rejectFusedGraph() {
        for (OnnxNode node : nodes) {
            boolean foreignDomain = !node.domain().isEmpty() && !node.domain().equals("ai.onnx");
            if (foreignDomain || QUANTIZED_OPS.contains(node.opType())) {
                throw new ModelFormatException(file, null, "node '" + node.name() + "' uses operator "
                        + (node.domain().isEmpty() ? "" : node.domain() + ":") + node.opType()
                        + "; fused, optimized or quantized ONNX graphs are out of scope: infer4j reads plain PyTorch "
                        + "exports (unfused MatMul weights named by their module path), e.g. the model.onnx of an "
                        + "optimum/transformers export without optimization");
            }
        }
    }

    private Map<String, Mapped> mapParameters() {
        Map<String, OnnxInitializer> byName = new HashMap<>();
        for (OnnxInitializer init : initializers) {
            byName.put(init.name(), init);
        }
        Map<String, Mapped> result = new LinkedHashMap<>();
        Map<String, String> matmulWeightNames = new HashMap<>();
        for (OnnxNode node : nodes) {
            boolean matmul = node.opType().equals("MatMul");
            boolean gemm = node.opType().equals("Gemm");
            if ((!matmul && !gemm) || node.inputs().size() < 2) {
                continue;
            }
            OnnxInitializer weight = byName.get(node.inputs().get(1));
            if (weight == null || matmulWeightNames.containsKey(weight.name())) {
                continue;
            }
            // MatMul computes x · B, so B is [in, out]; Gemm with transB = 1 stores [out, in] like PyTorch
            WeightLayout layout = gemm && node.intAttributes().getOrDefault("transB", 0L) == 1L
                    ? WeightLayout.OUT_IN : WeightLayout.IN_OUT;
            String parameter = isParameterName(weight.name()) ? weight.name() : moduleParameter(node, "weight");
            if (parameter == null) {
                continue;
            }
            Mapped previous = result.put(parameter, new Mapped(weight, layout));
            if (previous != null) {
                throw new ModelFormatException(file, parameter, "both initializers '" + previous.initializer().name()
                        + "' and '" + weight.name() + "' map to this parameter");
            }
            matmulWeightNames.put(weight.name(), parameter);
        }
        for (OnnxInitializer init : initializers) {
            if (!matmulWeightNames.containsKey(init.name()) && isParameterName(init.name())) {
                result.putIfAbsent(init.name(), new Mapped(init, WeightLayout.OUT_IN));
            }
        }
        return result;
    }

    /** A PyTorch state-dict name such as {@code embeddings.LayerNorm.weight}, as opposed to {@code onnx::MatMul_787}. */
    private static boolean isParameterName(String name) {
        return !name.isEmpty() && !name.contains("::") && !name.startsWith("/");
    }

    /** {@code /encoder/layer.0/attention/self/query/MatMul} and {@code weight} give {@code encoder.layer.0.attention.self.query.weight}. */
    private static String moduleParameter(OnnxNode node, String suffix) {
        String name = node.name();
        int last = name.lastIndexOf('/');
        if (!name.startsWith("/") || last <= 0) {
            return null;
        }
        return name.substring(1, last).replace('/', '.') + "." + suffix;
    }

    @Override
    public void close() {
        arena.close();
    }
}
