package dev.infer4j.models.gguf;

/** The value types of GGUF metadata, with their on-disk numbers ({@code gguf_type}). */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    /** {@code uint64 length} then that many UTF-8 bytes. */
    STRING(8, -1),
    /** {@code uint32 element type, uint64 count}, then the elements. */
    ARRAY(9, -1),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int fixedBytes;

    GgufValueType(int id, int fixedBytes) {
        this.id = id;
        this.fixedBytes = fixedBytes;
    }

    /** The number GGUF files use for this type. */
    public int id() {
        return id;
    }

    /** Bytes of one value, or -1 for the variable-length STRING and ARRAY. */
    public int fixedBytes() {
        return fixedBytes;
    }

    /** The type with that number, or null when GGUF defines none. */
    public static GgufValueType fromId(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }
}
