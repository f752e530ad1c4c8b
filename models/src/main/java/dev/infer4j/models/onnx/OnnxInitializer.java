package dev.infer4j.models.onnx;

/**
 * Where one initializer's data lies in the mapped file.
 *
 * @param name       initializer name as stored (for PyTorch exports of Linear weights an anonymous {@code onnx::MatMul_787})
 * @param dataTypeCode ONNX {@code TensorProto.DataType} code
 * @param dims       shape, outermost first ({@code MatMul} weights are {@code [in, out]})
 * @param dataOffset byte offset of the little-endian element data in the file ({@code raw_data} or packed {@code float_data}); -1 when absent
 * @param dataLength byte length of that data
 * @param external   whether the data lives in an external file (not supported)
 */
public record OnnxInitializer(String name, int dataTypeCode, long[] dims, long dataOffset, long dataLength, boolean external) {

    /** Number of elements the dims describe. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The ONNX name of the data type, e.g. {@code FLOAT}, or {@code code N} for an unknown one. */
    public String dataTypeName() {
        OnnxDataType t = OnnxDataType.of(dataTypeCode);
        return t == null ? "code " + dataTypeCode : t.name();
    }
}
