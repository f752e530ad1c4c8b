package dev.infer4j.models.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes ONNX protobuf messages for tests with protobuf-java's wire encoder, field numbers as in
 * {@code onnx.proto}. Independent of the reader under test, which parses the wire format itself.
 */
public final class OnnxProtoWriter {
    public static final int FLOAT = 1;
    public static final int INT64 = 7;
    public static final int FLOAT16 = 10;
    public static final int BFLOAT16 = 16;

    private OnnxProtoWriter() {
    }

    @FunctionalInterface
    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TensorProto with raw_data; dims written packed or as separate varints. */
    public static byte[] tensor(String name, int dataType, long[] dims, byte[] raw, boolean packedDims) {
        return message(out -> {
            writeDims(out, dims, packedDims);
            out.writeInt32(2, dataType);
            out.writeString(8, name);
            out.writeBytes(9, ByteString.copyFrom(raw));
        });
    }

    /** TensorProto of FLOAT with the values in packed float_data instead of raw_data. */
    public static byte[] floatDataTensor(String name, long[] dims, float[] values) {
        return message(out -> {
            writeDims(out, dims, false);
            out.writeInt32(2, FLOAT);
            out.writeTag(4, 2);
            out.writeUInt32NoTag(values.length * 4);
            for (float v : values) {
                out.writeFloatNoTag(v);
            }
            out.writeString(8, name);
        });
    }

    /** TensorProto whose data lives in an external file (data_location = EXTERNAL). */
    public static byte[] externalTensor(String name, long[] dims) {
        return message(out -> {
            writeDims(out, dims, false);
            out.writeInt32(2, FLOAT);
            out.writeString(8, name);
            out.writeBytes(13, ByteString.copyFrom(message(kv -> {
                kv.writeString(1, "location");
                kv.writeString(2, "weights.bin");
            })));
            out.writeInt32(14, 1);
        });
    }

    private static void writeDims(CodedOutputStream out, long[] dims, boolean packed) throws IOException {
        if (packed) {
            int size = 0;
            for (long d : dims) {
                size += CodedOutputStream.computeInt64SizeNoTag(d);
            }
            out.writeTag(1, 2);
            out.writeUInt32NoTag(size);
            for (long d : dims) {
                out.writeInt64NoTag(d);
            }
        } else {
            for (long d : dims) {
                out.writeInt64(1, d);
            }
        }
    }

    public static byte[] node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                              Map<String, Long> intAttributes) {
        return message(out -> {
            for (String i : inputs) {
                out.writeString(1, i);
            }
            for (String o : outputs) {
                out.writeString(2, o);
            }
            out.writeString(3, name);
            out.writeString(4, opType);
            for (Map.Entry<String, Long> a : intAttributes.entrySet()) {
                out.writeBytes(5, ByteString.copyFrom(message(attr -> {
                    attr.writeString(1, a.getKey());
                    attr.writeInt64(3, a.getValue());
                    attr.writeInt32(20, 2); // AttributeType.INT
                })));
            }
            if (!domain.isEmpty()) {
                out.writeString(7, domain);
            }
        });
    }

    /** An INTS attribute node, e.g. Unsqueeze/ReduceMean axes in older opsets. */
    public static byte[] nodeWithInts(String name, String opType, List<String> inputs, List<String> outputs,
                                      String attribute, long[] values) {
        return message(out -> {
            for (String i : inputs) {
                out.writeString(1, i);
            }
            for (String o : outputs) {
                out.writeString(2, o);
            }
            out.writeString(3, name);
            out.writeString(4, opType);
            out.writeBytes(5, ByteString.copyFrom(message(attr -> {
                attr.writeString(1, attribute);
                for (long v : values) {
                    attr.writeInt64(8, v);
                }
                attr.writeInt32(20, 7); // AttributeType.INTS
            })));
        });
    }

    /** ValueInfoProto of a tensor; a negative dim is written as the symbolic dim {@code d<i>}. */
    public static byte[] valueInfo(String name, int elemType, long... dims) {
        return message(out -> {
            out.writeString(1, name);
            byte[] shape = message(s -> {
                for (int i = 0; i < dims.length; i++) {
                    long d = dims[i];
                    int index = i;
                    s.writeBytes(1, ByteString.copyFrom(message(dim -> {
                        if (d >= 0) {
                            dim.writeInt64(1, d);
                        } else {
                            dim.writeString(2, "d" + index);
                        }
                    })));
                }
            });
            byte[] tensorType = message(tt -> {
                tt.writeInt32(1, elemType);
                tt.writeBytes(2, ByteString.copyFrom(shape));
            });
            out.writeBytes(2, ByteString.copyFrom(message(type -> type.writeBytes(1, ByteString.copyFrom(tensorType)))));
        });
    }

    public static byte[] graph(List<byte[]> nodes, List<byte[]> initializers, List<byte[]> inputs, List<byte[]> outputs) {
        return message(out -> {
            for (byte[] n : nodes) {
                out.writeBytes(1, ByteString.copyFrom(n));
            }
            out.writeString(2, "test");
            for (byte[] i : initializers) {
                out.writeBytes(5, ByteString.copyFrom(i));
            }
            for (byte[] i : inputs) {
                out.writeBytes(11, ByteString.copyFrom(i));
            }
            for (byte[] o : outputs) {
                out.writeBytes(12, ByteString.copyFrom(o));
            }
        });
    }

    /** ModelProto with IR version 8 and the standard opset {@code opset}. */
    public static byte[] model(byte[] graph, int opset) {
        return message(out -> {
            out.writeInt64(1, 8);
            out.writeString(2, "infer4j-tests");
            out.writeBytes(7, ByteString.copyFrom(graph));
            out.writeBytes(8, ByteString.copyFrom(message(op -> {
                op.writeString(1, "");
                op.writeInt64(2, opset);
            })));
        });
    }

    public static byte[] floatsLE(float... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /**
     * A copy of {@code model} whose graph has {@code nodes} and {@code initializers} appended and its
     * outputs replaced by {@code outputs}: how tests put a head on a real exported encoder.
     */
    public static byte[] extendGraph(byte[] model, List<byte[]> nodes, List<byte[]> initializers, List<byte[]> outputs) {
        return message(out -> {
            com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(model);
            in.setSizeLimit(Integer.MAX_VALUE);
            while (!in.isAtEnd()) {
                int start = in.getTotalBytesRead();
                int tag = in.readTag();
                if (tag >>> 3 == 7 && (tag & 7) == 2) {
                    byte[] graph = in.readByteArray();
                    out.writeBytes(7, ByteString.copyFrom(rewriteGraph(graph, nodes, initializers, outputs)));
                } else {
                    in.skipField(tag);
                    out.writeRawBytes(model, start, in.getTotalBytesRead() - start);
                }
            }
        });
    }

    private static byte[] rewriteGraph(byte[] graph, List<byte[]> nodes, List<byte[]> initializers, List<byte[]> outputs) {
        return message(out -> {
            com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(graph);
            in.setSizeLimit(Integer.MAX_VALUE);
            while (!in.isAtEnd()) {
                int start = in.getTotalBytesRead();
                int tag = in.readTag();
                in.skipField(tag);
                if (tag >>> 3 != 12) {
                    out.writeRawBytes(graph, start, in.getTotalBytesRead() - start);
                }
            }
            for (byte[] n : nodes) {
                out.writeBytes(1, ByteString.copyFrom(n));
            }
            for (byte[] i : initializers) {
                out.writeBytes(5, ByteString.copyFrom(i));
            }
            for (byte[] o : outputs) {
                out.writeBytes(12, ByteString.copyFrom(o));
            }
        });
    }
}
