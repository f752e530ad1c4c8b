package dev.infer4j.kernels;

/**
 * Element types of tensors. Quantized types store blocks of {@link #blockSize()} elements in
 * {@link #blockBytes()} bytes, laid out exactly as ggml/GGUF stores them, so a GGUF tensor can be
 * used in place without conversion.
 */
public enum DType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    /** 32 x 4-bit quants with one F16 scale: {@code d:f16, qs[16]}; low nibbles are elements 0..15, high nibbles 16..31. */
    Q4_0(2, 32, 18),
    /** 32 x int8 quants with one F16 scale: {@code d:f16, qs[32]}. */
    Q8_0(8, 32, 34),
    /** Super-block of 256: {@code d:f16, dmin:f16, scales[12] (6-bit scales and mins of 8 sub-blocks), qs[128]}. */
    Q4_K(12, 256, 144),
    /** Super-block of 256: {@code ql[128], qh[64], scales[16] (int8), d:f16}. */
    Q6_K(14, 256, 210),
    /** 32-bit signed integers (token ids, positions). */
    I32(26, 1, 4),
    BF16(30, 1, 2);

    private final int ggmlType;
    private final int blockSize;
    private final int blockBytes;

    DType(int ggmlType, int blockSize, int blockBytes) {
        this.ggmlType = ggmlType;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** The {@code ggml_type} number GGUF files use for this type. */
    public int ggmlType() {
        return ggmlType;
    }

    /** Elements per block: 1 for plain types. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block (per element for plain types). */
    public int blockBytes() {
        return blockBytes;
    }

    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** Bytes needed for {@code elements} elements; they must fill whole blocks. */
    public long byteSize(long elements) {
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(
                    this + " stores blocks of " + blockSize + " elements; " + elements + " is not a multiple");
        }
        return elements / blockSize * blockBytes;
    }

    /** The type with the given {@code ggml_type} number; throws naming the number if infer4j does not support it. */
    public static DType fromGgmlType(int ggmlType) {
        for (DType t : values()) {
            if (t.ggmlType == ggmlType) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported ggml tensor type " + ggmlType
                + " (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K, I32)");
    }
}
