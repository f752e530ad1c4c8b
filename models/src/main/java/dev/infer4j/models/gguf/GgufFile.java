package dev.infer4j.models.gguf;

import dev.infer4j.kernels.DType;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A memory-mapped GGUF file (versions 2 and 3, little-endian): metadata and tensors viewed in place.
 *
 * <p>Layout: magic {@code GGUF}, {@code uint32} version, {@code uint64} tensor count, {@code uint64}
 * metadata count, the metadata key/value pairs, the tensor infos (name, dimension count, {@code ne}
 * innermost first, ggml type, offset), padding to {@code general.alignment} (default 32), then the data
 * section. Everything in the header is validated at {@link #open}: a truncated or corrupt file fails
 * naming the byte offset and what was expected there, an unsupported tensor type fails naming the type and
 * tensor. Tensors are {@link Tensor} views of the mapping, shape outermost first (GGUF's {@code ne} reversed).
 *
 * <p>Metadata values have the fixed representation described in {@link GgufValues}; {@link #metadata()}
 * keeps the file's key order. The original GGUF type of each key is kept too ({@link #valueType},
 * {@link #arrayElementType}) so that files can be rewritten exactly.
 */
public final class GgufFile implements TensorStore {
    /** {@code "GGUF"} read as a little-endian uint32. */
    static final int MAGIC = 0x46554747;
    static final int DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";
    /** Bytes of the smallest possible metadata pair and tensor info, to bound counts by the file size. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;
    private static final int MAX_DIMS = 4;

    private record TypeTag(GgufValueType type, GgufValueType elementType) {
    }

    private final Path file;
    private final Arena arena;
    private final MemorySegment mapping;
    private final int version;
    private final int alignment;
    private final long dataOffset;
    private final MemorySegment data;
    private final Map<String, Object> metadata;
    private final Map<String, TypeTag> types;
    private final Map<String, GgufTensorInfo> tensors;

    private GgufFile(Path file, Arena arena, MemorySegment mapping, int version, int alignment, long dataOffset, MemorySegment data,
                     Map<String, Object> metadata, Map<String, TypeTag> types, Map<String, GgufTensorInfo> tensors) {
        this.file = file;
        this.arena = arena;
        this.mapping = mapping;
        this.version = version;
        this.alignment = alignment;
        this.dataOffset = dataOffset;
        this.data = data;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.types = types;
        this.tensors = tensors;
    }

    /** Maps and validates the file; throws {@link ModelFormatException} naming the file, offset and problem. */
    public static GgufFile open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return parse(file, arena, all);
        } catch (IOException e) {
            arena.close();
            throw new ModelFormatException(file, null, "cannot read: " + e, e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static GgufFile parse(Path file, Arena arena, MemorySegment all) {
        GgufCursor in = new GgufCursor(file, all);
        int version = readPreamble(in);
        int tensorCount = in.count("the tensor count", MIN_TENSOR_INFO_BYTES);
        int kvCount = in.count("the metadata count", MIN_KV_BYTES);

        Map<String, Object> metadata = new LinkedHashMap<>();
        Map<String, TypeTag> types = new LinkedHashMap<>();
        for (int i = 0; i < kvCount; i++) {
            long at = in.position();
            String key = in.string("the key of metadata pair " + i);
            if (metadata.containsKey(key)) {
                throw in.errorAt(at, "duplicate metadata key '" + key + "'");
            }
            long typeAt = in.position();
            long typeId = in.u32("the value type of " + key);
            GgufValueType type = GgufValueType.fromId(typeId);
            if (type == null) {
                throw in.errorAt(typeAt, "metadata '" + key + "' has unknown value type " + typeId + " (GGUF defines 0..12)");
            }
            GgufValueType elementType = null;
            if (type == GgufValueType.ARRAY) {
                long mark = in.position();
                elementType = GgufValues.elementType(in, key);
                in.seek(mark);
            }
            metadata.put(key, GgufValues.read(in, type, key, 0));
            types.put(key, new TypeTag(type, elementType));
        }
        int alignment = alignment(file, metadata, types);

        List<GgufTensorInfo> infos = new ArrayList<>(tensorCount);
        for (int i = 0; i < tensorCount; i++) {
            infos.add(readTensorInfo(in, file, i, alignment));
        }
        long dataOffset = alignUp(in.position(), alignment);
        long dataBytes = Math.max(0, all.byteSize() - dataOffset);
        Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
        for (GgufTensorInfo t : infos) {
            if (tensors.put(t.name(), t) != null) {
                throw new ModelFormatException(file, t.name(), "appears twice in the tensor infos");
            }
            if (t.dataOffset() > dataBytes || t.byteSize() > dataBytes - t.dataOffset()) {
                throw new ModelFormatException(file, t.name(), "its data (" + t.byteSize() + " bytes at byte offset "
                        + (dataOffset + t.dataOffset()) + ") runs past the end of the file (" + all.byteSize()
                        + " bytes; truncated?)");
            }
        }
        MemorySegment data = dataBytes == 0 ? MemorySegment.NULL.reinterpret(0) : all.asSlice(dataOffset);
        return new GgufFile(file, arena, all, version, alignment, dataOffset, data, metadata, types, tensors);
    }

    private static int readPreamble(GgufCursor in) {
        int magic = in.i32("the 4-byte magic 'GGUF'");
        if (magic != MAGIC) {
            throw in.errorAt(0, "not a GGUF file: expected the magic 'GGUF', found 0x"
                    + String.format("%08x", Integer.reverseBytes(magic)));
        }
        long version = in.u32("the GGUF version");
        if (version == 2 || version == 3) {
            return (int) version;
        }
        if (version == 1) {
            throw in.errorAt(4, "GGUF version 1 is not supported (only versions 2 and 3)");
        }
        long swapped = Integer.toUnsignedLong(Integer.reverseBytes((int) version));
        if (swapped == 2 || swapped == 3) {
            throw in.errorAt(4, "big-endian GGUF files are not supported");
        }
        throw in.errorAt(4, "unknown GGUF version " + version + " (supported: 2 and 3)");
    }

    private static int alignment(Path file, Map<String, Object> metadata, Map<String, TypeTag> types) {
        Object v = metadata.get(ALIGNMENT_KEY);
        if (v == null) {
            return DEFAULT_ALIGNMENT;
        }
        long a = v instanceof Long l ? l : -1;
        if (types.get(ALIGNMENT_KEY).type() != GgufValueType.UINT32 || a <= 0 || Long.bitCount(a) != 1) {
            throw new ModelFormatException(file, null, ALIGNMENT_KEY + " must be a uint32 power of two, got "
                    + types.get(ALIGNMENT_KEY).type() + " " + v);
        }
        return (int) a;
    }

    private static GgufTensorInfo readTensorInfo(GgufCursor in, Path file, int index, int alignment) {
        String name = in.string("the name of tensor " + index);
        long dimsAt = in.position();
        long nDims = in.u32("the dimension count of tensor " + name);
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw in.errorAt(dimsAt, "tensor '" + name + "' has " + nDims + " dimensions (1 to " + MAX_DIMS + " allowed)");
        }
        long[] ne = new long[(int) nDims];
        long count = 1;
        for (int d = 0; d < ne.length; d++) {
            long at = in.position();
            ne[d] = in.i64("dimension " + d + " of tensor " + name);
            if (ne[d] <= 0) {
                throw in.errorAt(at, "tensor '" + name + "' has dimension " + d + " = " + Long.toUnsignedString(ne[d])
                        + " (must be positive)");
            }
            try {
                count = Math.multiplyExact(count, ne[d]);
            } catch (ArithmeticException e) {
                throw in.errorAt(at, "tensor '" + name + "' has too many elements (dimensions overflow)");
            }
        }
        long typeAt = in.position();
        long ggmlType = in.u32("the type of tensor " + name);
        DType dtype;
        try {
            dtype = DType.fromGgmlType((int) Math.min(ggmlType, Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, name, "at byte offset " + typeAt + ": unsupported tensor type "
                    + GgufTensorInfo.ggmlTypeName(ggmlType) + " (ggml type " + ggmlType
                    + "; infer4j reads F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K, I32)");
        }
        if (ne[0] % dtype.blockSize() != 0) {
            throw new ModelFormatException(file, name, dtype + " rows must be whole blocks of " + dtype.blockSize()
                    + " elements, but ne[0] = " + ne[0]);
        }
        long offsetAt = in.position();
        long offset = in.i64("the data offset of tensor " + name);
        if (offset < 0 || offset % alignment != 0) {
            throw in.errorAt(offsetAt, "tensor '" + name + "' has data offset " + Long.toUnsignedString(offset)
                    + ", which is not a multiple of the alignment " + alignment);
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(count / dtype.blockSize(), (long) dtype.blockBytes());
        } catch (ArithmeticException e) {
            throw new ModelFormatException(file, name, "byte size overflows");
        }
        return new GgufTensorInfo(name, ne, dtype, offset, bytes);
    }

    static long alignUp(long position, long alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }

    // ---- metadata -----------------------------------------------------------------------------

    /** GGUF version, 2 or 3. */
    public int version() {
        return version;
    }

    /** Alignment of tensor data ({@code general.alignment}, default 32). */
    public int alignment() {
        return alignment;
    }

    /** Absolute file offset where the data section (tensor offset 0) begins. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Every metadata pair in file order, values as described in {@link GgufValues}; unmodifiable. */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Typed accessors over {@link #metadata()}. */
    public GgufMetadata meta() {
        return new GgufMetadata(file, metadata);
    }

    /** The GGUF type a metadata key was stored with, or null when the key is absent. */
    public GgufValueType valueType(String key) {
        TypeTag t = types.get(key);
        return t == null ? null : t.type();
    }

    /** The element type of an array-valued key, or null when the key is absent or not an array. */
    public GgufValueType arrayElementType(String key) {
        TypeTag t = types.get(key);
        return t == null ? null : t.elementType();
    }

    // ---- tensors ------------------------------------------------------------------------------

    /** Every tensor info, in file order. */
    public Collection<GgufTensorInfo> tensorInfos() {
        return Collections.unmodifiableCollection(tensors.values());
    }

    /** The info of a tensor, or null when there is none of that name. */
    public GgufTensorInfo tensorInfo(String name) {
        return tensors.get(name);
    }

    /** A view of the named tensor's bytes; throws {@link ModelFormatException} when the file has none. */
    public Tensor tensor(String name) {
        return require(name).tensor();
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public Collection<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    @Override
    public StoredTensor find(String name) {
        GgufTensorInfo t = tensors.get(name);
        if (t == null) {
            return null;
        }
        MemorySegment bytes = data.asSlice(t.dataOffset(), t.byteSize());
        return new StoredTensor(name, Tensor.of(t.dtype(), bytes, t.shape()), WeightLayout.OUT_IN);
    }

    /**
     * Drops the file's pages from this process's resident memory; they stay in the OS page cache and are read
     * back on the next touch. Worth calling once a backend has copied (repacked) the weights it uses, so that
     * the process does not hold the weights twice.
     */
    public void releaseResidentPages() {
        if (mapping.byteSize() > 0) {
            mapping.unload();
        }
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "GgufFile[" + file + ", v" + version + ", " + metadata.size() + " keys, " + tensors.size() + " tensors]";
    }
}
