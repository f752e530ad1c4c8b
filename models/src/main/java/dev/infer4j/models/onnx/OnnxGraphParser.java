package dev.infer4j.models.onnx;

import dev.infer4j.models.weights.ModelFormatException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the parts of an ONNX {@code ModelProto} that weight loading needs: the graph's nodes and
 * the location of every initializer's data. Field numbers follow {@code onnx.proto} (ModelProto.graph = 7;
 * GraphProto.node = 1, initializer = 5; NodeProto input 1, output 2, name 3, op_type 4, attribute 5,
 * domain 7; TensorProto dims 1, data_type 2, float_data 4, name 8, raw_data 9, data_location 14).
 */
final class OnnxGraphParser {
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_INT = 3;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;

    record Graph(List<OnnxNode> nodes, List<OnnxInitializer> initializers) {
    }

    private OnnxGraphParser() {
    }

    static Graph parse(MemorySegment file, Path path) {
        ProtoCursor model = new ProtoCursor(file, path, "ModelProto", 0, file.byteSize());
        boolean sawIrVersion = false;
        Graph graph = null;
        while (model.hasNext()) {
            int field = model.next();
            if (field == MODEL_IR_VERSION && model.wireType() == ProtoCursor.VARINT) {
                model.readVarint();
                sawIrVersion = true;
            } else if (field == MODEL_GRAPH && model.wireType() == ProtoCursor.LENGTH_DELIMITED) {
                graph = parseGraph(model.message("GraphProto"));
            } else {
                model.skip();
            }
        }
        if (!sawIrVersion || graph == null) {
            throw new ModelFormatException(path, null, "not an ONNX model: no "
                    + (sawIrVersion ? "graph" : "ir_version") + " field in the ModelProto");
        }
        return graph;
    }

    private static Graph parseGraph(ProtoCursor g) {
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxInitializer> initializers = new ArrayList<>();
        while (g.hasNext()) {
            int field = g.next();
            if (field == GRAPH_NODE && g.wireType() == ProtoCursor.LENGTH_DELIMITED) {
                nodes.add(parseNode(g.message("NodeProto")));
            } else if (field == GRAPH_INITIALIZER && g.wireType() == ProtoCursor.LENGTH_DELIMITED) {
                initializers.add(parseTensor(g.message("TensorProto")));
            } else {
                g.skip();
            }
        }
        return new Graph(nodes, initializers);
    }

    private static OnnxNode parseNode(ProtoCursor n) {
        List<String> inputs = new ArrayList<>(4);
        List<String> outputs = new ArrayList<>(1);
        Map<String, Long> ints = Map.of();
        String name = "";
        String opType = "";
        String domain = "";
        while (n.hasNext()) {
            int field = n.next();
            if (n.wireType() != ProtoCursor.LENGTH_DELIMITED) {
                n.skip();
                continue;
            }
            switch (field) {
                case NODE_INPUT -> inputs.add(n.string());
                case NODE_OUTPUT -> outputs.add(n.string());
                case NODE_NAME -> name = n.string();
                case NODE_OP_TYPE -> opType = n.string();
                case NODE_DOMAIN -> domain = n.string();
                case NODE_ATTRIBUTE -> {
                    ints = ints.isEmpty() ? new HashMap<>() : ints;
                    parseIntAttribute(n.message("AttributeProto"), ints);
                }
                default -> n.skip();
            }
        }
        return new OnnxNode(name, opType, domain, List.copyOf(inputs), List.copyOf(outputs), Map.copyOf(ints));
    }

    private static void parseIntAttribute(ProtoCursor a, Map<String, Long> into) {
        String name = null;
        Long value = null;
        while (a.hasNext()) {
            int field = a.next();
            if (field == ATTRIBUTE_NAME && a.wireType() == ProtoCursor.LENGTH_DELIMITED) {
                name = a.string();
            } else if (field == ATTRIBUTE_INT && a.wireType() == ProtoCursor.VARINT) {
                value = a.readVarint();
            } else {
                a.skip();
            }
        }
        if (name != null && value != null) {
            into.put(name, value);
        }
    }

    private static OnnxInitializer parseTensor(ProtoCursor t) {
        long[] dims = new long[4];
        int rank = 0;
        long dataType = 0;
        String name = "";
        long dataOffset = -1;
        long dataLength = 0;
        boolean external = false;
        while (t.hasNext()) {
            int field = t.next();
            switch (field) {
                case TENSOR_DIMS -> {
                    if (t.wireType() == ProtoCursor.VARINT) {
                        dims = append(dims, rank++, t.readVarint());
                    } else {
                        ProtoCursor packed = t.message("TensorProto.dims");
                        while (packed.hasNext()) {
                            dims = append(dims, rank++, packed.readVarint());
                        }
                    }
                }
                case TENSOR_DATA_TYPE -> dataType = t.varintValue();
                case TENSOR_NAME -> name = t.string();
                case TENSOR_RAW_DATA, TENSOR_FLOAT_DATA -> {
                    // packed float_data is the same little-endian byte run as raw_data
                    if (t.wireType() == ProtoCursor.LENGTH_DELIMITED) {
                        dataOffset = t.payloadStart();
                        dataLength = t.lastEnd() - dataOffset;
                    } else {
                        throw t.malformed(-1, "tensor '" + name + "' stores float_data unpacked, which infer4j does not read");
                    }
                }
                case TENSOR_EXTERNAL_DATA -> {
                    external = true;
                    t.skip();
                }
                case TENSOR_DATA_LOCATION -> external |= t.varintValue() == 1;
                default -> t.skip();
            }
        }
        return new OnnxInitializer(name, (int) Math.min(dataType, Integer.MAX_VALUE),
                Arrays.copyOf(dims, rank), dataOffset, dataLength, external);
    }

    private static long[] append(long[] dims, int at, long value) {
        long[] d = at < dims.length ? dims : Arrays.copyOf(dims, dims.length * 2);
        d[at] = value;
        return d;
    }
}
