package dev.infer4j.models.onnx;

import dev.infer4j.kernels.DType;

/** ONNX {@code TensorProto.DataType} codes; the ones infer4j reads map to a {@link DType}. */
enum OnnxDataType {
    UNDEFINED(0, null, 0), FLOAT(1, DType.F32, 4), UINT8(2, null, 1), INT8(3, null, 1), UINT16(4, null, 2),
    INT16(5, null, 2), INT32(6, null, 4), INT64(7, null, 8), STRING(8, null, 0), BOOL(9, null, 1),
    FLOAT16(10, DType.F16, 2), DOUBLE(11, null, 8), UINT32(12, null, 4), UINT64(13, null, 8),
    COMPLEX64(14, null, 8), COMPLEX128(15, null, 16), BFLOAT16(16, DType.BF16, 2),
    FLOAT8E4M3FN(17, null, 1), FLOAT8E4M3FNUZ(18, null, 1), FLOAT8E5M2(19, null, 1), FLOAT8E5M2FNUZ(20, null, 1),
    UINT4(21, null, 0), INT4(22, null, 0), FLOAT4E2M1(23, null, 0);

    private static final OnnxDataType[] BY_CODE = values();

    final int code;
    /** The infer4j type, or null when infer4j does not read this type. */
    final DType dtype;
    /** Bytes per element in raw_data, or 0 for packed sub-byte and string types. */
    final int elementBytes;

    OnnxDataType(int code, DType dtype, int elementBytes) {
        this.code = code;
        this.dtype = dtype;
        this.elementBytes = elementBytes;
    }

    /** The type of that code, or null for a code ONNX does not define. */
    static OnnxDataType of(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }
}
