package dev.infer4j.models.gguf;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF files (little-endian, version 3 unless told otherwise): for tests and benchmarks, to make
 * synthetic models of any shape and dtype and to rewrite real files with changes. Metadata keeps the
 * order it was put in; tensor data is laid out in the order added, each aligned to the file's alignment.
 */
public final class GgufWriter {
    private record Value(GgufValueType type, GgufValueType elementType, Object value) {
    }

    private record PendingTensor(String name, DType dtype, long[] ne, MemorySegment bytes) {
    }

    private final Map<String, Value> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private int version = 3;

    /** The version number written into the header (2 or 3 for valid files; anything for corrupt-file tests). */
    public GgufWriter version(int version) {
        this.version = version;
        return this;
    }

    /** A scalar: {@code value} is a {@link Number} for numeric types, a {@link Boolean} or a {@link String}. */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        if (type == GgufValueType.ARRAY) {
            throw new IllegalArgumentException("use putArray for arrays");
        }
        checkScalar(type, value);
        metadata.put(key, new Value(type, null, value));
        return this;
    }

    /**
     * An array of {@code elementType}; {@code array} is the Java array of {@link GgufFile#metadata()}'s
     * representation ({@code int[]}, {@code long[]}, {@code float[]}, {@code double[]}, {@code boolean[]},
     * {@code String[]}, or {@code Object[]} of such arrays for element type ARRAY).
     */
    public GgufWriter putArray(String key, GgufValueType elementType, Object array) {
        checkArray(elementType, array);
        metadata.put(key, new Value(GgufValueType.ARRAY, elementType, array));
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    public GgufWriter putUInt32(String key, long value) {
        return put(key, GgufValueType.UINT32, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    public GgufWriter remove(String key) {
        metadata.remove(key);
        return this;
    }

    /** Copies every metadata pair of {@code source} with its original GGUF type. */
    public GgufWriter copyMetadata(GgufFile source) {
        for (Map.Entry<String, Object> e : source.metadata().entrySet()) {
            GgufValueType type = source.valueType(e.getKey());
            metadata.put(e.getKey(), new Value(type, source.arrayElementType(e.getKey()), e.getValue()));
        }
        return this;
    }

    /** Adds a tensor of shape outermost first (written as GGUF {@code ne}, reversed) over {@code bytes}. */
    public GgufWriter addTensor(String name, DType dtype, long[] shape, MemorySegment bytes) {
        long count = 1;
        long[] ne = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            ne[i] = shape[shape.length - 1 - i];
            count *= shape[i];
        }
        if (dtype.byteSize(count) != bytes.byteSize()) {
            throw new IllegalArgumentException(name + ": " + dtype + " of " + count + " elements needs "
                    + dtype.byteSize(count) + " bytes, got " + bytes.byteSize());
        }
        tensors.add(new PendingTensor(name, dtype, ne, bytes));
        return this;
    }

    public GgufWriter addTensor(String name, Tensor tensor) {
        return addTensor(name, tensor.dtype(), tensor.shape(), tensor.segment());
    }

    public void write(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeTo(ch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(Channels.newChannel(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private int alignment() {
        Value a = metadata.get(GgufFile.ALIGNMENT_KEY);
        return a == null ? GgufFile.DEFAULT_ALIGNMENT : ((Number) a.value()).intValue();
    }

    private void writeTo(WritableByteChannel ch) throws IOException {
        int alignment = alignment();
        Header h = new Header();
        h.i32(GgufFile.MAGIC);
        h.i32(version);
        h.i64(tensors.size());
        h.i64(metadata.size());
        for (Map.Entry<String, Value> e : metadata.entrySet()) {
            h.string(e.getKey());
            Value v = e.getValue();
            h.i32(v.type().id());
            if (v.type() == GgufValueType.ARRAY) {
                h.array(v.elementType(), v.value());
            } else {
                h.scalar(v.type(), v.value());
            }
        }
        long offset = 0;
        for (PendingTensor t : tensors) {
            h.string(t.name());
            h.i32(t.ne().length);
            for (long d : t.ne()) {
                h.i64(d);
            }
            h.i32(t.dtype().ggmlType());
            h.i64(offset);
            offset = GgufFile.alignUp(offset + t.bytes().byteSize(), alignment);
        }
        long headerBytes = h.size();
        h.pad(GgufFile.alignUp(headerBytes, alignment) - headerBytes);
        writeFully(ch, ByteBuffer.wrap(h.toByteArray()));
        long written = 0;
        for (PendingTensor t : tensors) {
            long size = t.bytes().byteSize();
            for (long at = 0; at < size; at += 1 << 30) {
                writeFully(ch, t.bytes().asSlice(at, Math.min(1 << 30, size - at)).asByteBuffer());
            }
            written += size;
            // every tensor, the last included, is padded: ggml reads the data section as whole aligned tensors
            long padded = GgufFile.alignUp(written, alignment);
            writeFully(ch, ByteBuffer.allocate((int) (padded - written)));
            written = padded;
        }
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void checkScalar(GgufValueType type, Object value) {
        boolean ok = switch (type) {
            case STRING -> value instanceof String;
            case BOOL -> value instanceof Boolean;
            case ARRAY -> false;
            default -> value instanceof Number;
        };
        if (!ok) {
            throw new IllegalArgumentException(type + " value expected, got " + value);
        }
    }

    private static void checkArray(GgufValueType element, Object array) {
        boolean ok = switch (element) {
            case UINT8, INT8, UINT16, INT16, INT32 -> array instanceof int[];
            case UINT32, UINT64, INT64 -> array instanceof long[];
            case FLOAT32 -> array instanceof float[];
            case FLOAT64 -> array instanceof double[];
            case BOOL -> array instanceof boolean[];
            case STRING -> array instanceof String[];
            case ARRAY -> array instanceof Object[];
        };
        if (!ok) {
            throw new IllegalArgumentException("array of " + element + " cannot hold " + array.getClass().getSimpleName());
        }
    }

    /** The header being assembled, little-endian. */
    private static final class Header extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void i8(int v) {
            write(v);
        }

        void i16(int v) {
            scratch.clear();
            write(scratch.putShort((short) v).array(), 0, 2);
        }

        void i32(int v) {
            scratch.clear();
            write(scratch.putInt(v).array(), 0, 4);
        }

        void i64(long v) {
            scratch.clear();
            write(scratch.putLong(v).array(), 0, 8);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            write(b, 0, b.length);
        }

        void pad(long n) {
            for (long i = 0; i < n; i++) {
                write(0);
            }
        }

        void scalar(GgufValueType type, Object v) {
            switch (type) {
                case UINT8, INT8 -> i8(((Number) v).intValue());
                case UINT16, INT16 -> i16(((Number) v).intValue());
                case UINT32, INT32 -> i32(((Number) v).intValue());
                case UINT64, INT64 -> i64(((Number) v).longValue());
                case FLOAT32 -> i32(Float.floatToRawIntBits(((Number) v).floatValue()));
                case FLOAT64 -> i64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
                case BOOL -> i8((Boolean) v ? 1 : 0);
                case STRING -> string((String) v);
                case ARRAY -> throw new IllegalArgumentException("nested array needs array()");
            }
        }

        void array(GgufValueType element, Object array) {
            i32(element.id());
            switch (array) {
                case int[] a -> {
                    i64(a.length);
                    for (int v : a) {
                        scalar(element, v);
                    }
                }
                case long[] a -> {
                    i64(a.length);
                    for (long v : a) {
                        scalar(element, v);
                    }
                }
                case float[] a -> {
                    i64(a.length);
                    for (float v : a) {
                        scalar(element, v);
                    }
                }
                case double[] a -> {
                    i64(a.length);
                    for (double v : a) {
                        scalar(element, v);
                    }
                }
                case boolean[] a -> {
                    i64(a.length);
                    for (boolean v : a) {
                        scalar(element, v);
                    }
                }
                case String[] a -> {
                    i64(a.length);
                    for (String v : a) {
                        string(v);
                    }
                }
                case Object[] a -> {
                    i64(a.length);
                    for (Object inner : a) {
                        array(elementTypeOf(inner), inner);
                    }
                }
                default -> throw new IllegalArgumentException("not a GGUF array: " + array);
            }
        }

        private static GgufValueType elementTypeOf(Object array) {
            return switch (array) {
                case int[] a -> GgufValueType.INT32;
                case long[] a -> GgufValueType.INT64;
                case float[] a -> GgufValueType.FLOAT32;
                case double[] a -> GgufValueType.FLOAT64;
                case boolean[] a -> GgufValueType.BOOL;
                case String[] a -> GgufValueType.STRING;
                case Object[] a -> GgufValueType.ARRAY;
                default -> throw new IllegalArgumentException("not a GGUF array: " + array);
            };
        }
    }
}
