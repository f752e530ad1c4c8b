package dev.infer4j.models.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.models.weights.ModelFormatException;
import dev.infer4j.models.weights.StoredTensor;
import dev.infer4j.models.weights.TensorStore;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A memory-mapped {@code .safetensors} file: an 8-byte little-endian header length, a JSON header
 * of {@code name → {dtype, shape, data_offsets}}, then the tensor bytes, viewed in place. Matrices are
 * stored as PyTorch keeps them, {@code [out, in]}.
 */
public final class SafetensorsFile implements TensorStore {
    /** Larger headers are refused as corrupt (the reference implementation's limit). */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    /** Every dtype the format defines; the first three are the ones infer4j reads. */
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("F32", 4), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("I32", 4), Map.entry("U32", 4),
            Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("I8", 1), Map.entry("U8", 1), Map.entry("BOOL", 1),
            Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1));

    private record Entry(String dtype, long[] shape, long begin, long end) {
    }

    private final Path file;
    private final Arena arena;
    private final MemorySegment tensorData;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, Arena arena, MemorySegment tensorData, Map<String, Entry> entries,
                            Map<String, String> metadata) {
        this.file = file;
        this.arena = arena;
        this.tensorData = tensorData;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Maps the file and validates its header; throws {@link ModelFormatException} naming the file, tensor and problem. */
    public static SafetensorsFile open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            if (all.byteSize() < 8) {
                throw new ModelFormatException(file, null, "not a safetensors file: " + all.byteSize()
                        + " bytes is shorter than the 8-byte header length (truncated?)");
            }
            long headerBytes = all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerBytes < 2 || headerBytes > MAX_HEADER_BYTES || headerBytes > all.byteSize() - 8) {
                throw new ModelFormatException(file, null, "not a safetensors file (or truncated): header length "
                        + Long.toUnsignedString(headerBytes) + " does not fit the file of " + all.byteSize() + " bytes");
            }
            byte[] header = all.asSlice(8, headerBytes).toArray(ValueLayout.JAVA_BYTE);
            if (header[0] != '{') {
                throw new ModelFormatException(file, null, "not a safetensors file: the header is not a JSON object");
            }
            MemorySegment data = all.asSlice(8 + headerBytes);
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = parseHeader(file, header, data.byteSize(), metadata);
            return new SafetensorsFile(file, arena, data, entries, Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            arena.close();
            throw new ModelFormatException(file, null, "cannot read: " + e, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static Map<String, Entry> parseHeader(Path file, byte[] header, long dataBytes, Map<String, String> metadata) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(header);
        } catch (IOException e) {
            throw new ModelFormatException(file, null, "the safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file, null, "the safetensors header is not a JSON object");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode t = field.getValue();
            if (name.equals("__metadata__")) {
                t.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            entries.put(name, parseEntry(file, name, t, dataBytes));
        }
        return entries;
    }

    private static Entry parseEntry(Path file, String name, JsonNode t, long dataBytes) {
        if (!t.isObject() || !t.path("dtype").isTextual() || !t.path("shape").isArray()
                || !t.path("data_offsets").isArray() || t.path("data_offsets").size() != 2) {
            throw new ModelFormatException(file, name, "header entry needs dtype, shape and two data_offsets, got " + t);
        }
        String dtype = t.get("dtype").asText();
        Integer elementBytes = DTYPE_BYTES.get(dtype);
        if (elementBytes == null) {
            throw new ModelFormatException(file, name, "unknown dtype '" + dtype + "'");
        }
        long[] shape = new long[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = t.get("shape").get(i);
            if (!d.canConvertToLong() || d.asLong() < 0) {
                throw new ModelFormatException(file, name, "invalid shape " + t.get("shape"));
            }
            shape[i] = d.asLong();
        }
        JsonNode offsets = t.get("data_offsets");
        if (!offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new ModelFormatException(file, name, "invalid data_offsets " + offsets);
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw new ModelFormatException(file, name, "invalid data_offsets " + offsets);
        }
        if (end > dataBytes) {
            throw new ModelFormatException(file, name, "data_offsets " + offsets + " run past the end of the data ("
                    + dataBytes + " bytes; truncated file?)");
        }
        long expected;
        try {
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            expected = Math.multiplyExact(count, elementBytes);
        } catch (ArithmeticException e) {
            throw new ModelFormatException(file, name, "shape " + Arrays.toString(shape) + " overflows");
        }
        if (end - begin != expected) {
            throw new ModelFormatException(file, name, "shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + expected + " bytes but data_offsets " + offsets + " span " + (end - begin));
        }
        return new Entry(dtype, shape, begin, end);
    }

    /** The header's {@code __metadata__} strings. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The dtype name the header gives a tensor, or null. */
    public String dtypeName(String name) {
        Entry e = entries.get(name);
        return e == null ? null : e.dtype();
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public Collection<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    @Override
    public StoredTensor find(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            return null;
        }
        DType dtype = switch (e.dtype()) {
            case "F32" -> DType.F32;
            case "F16" -> DType.F16;
            case "BF16" -> DType.BF16;
            default -> throw new ModelFormatException(file, name, "dtype " + e.dtype()
                    + " is not supported for weights (infer4j reads F32, F16 and BF16)");
        };
        if (e.shape().length > 4) {
            throw new ModelFormatException(file, name, "rank " + e.shape().length + " is not supported (at most 4)");
        }
        if (e.end() == e.begin()) {
            throw new ModelFormatException(file, name, "is empty (shape " + Arrays.toString(e.shape()) + ")");
        }
        long[] shape = e.shape().length == 0 ? new long[] {1} : e.shape();
        return new StoredTensor(name, Tensor.of(dtype, tensorData.asSlice(e.begin(), e.end() - e.begin()), shape),
                WeightLayout.OUT_IN);
    }

    @Override
    public void close() {
        arena.close();
    }
}
