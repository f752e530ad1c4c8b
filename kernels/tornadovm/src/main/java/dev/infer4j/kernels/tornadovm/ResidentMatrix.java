package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Weight;

/**
 * A matrix kept on the device, {@code outFeatures × inFeatures} row-major in one of the resident formats:
 * a weight for matmul, or an embedding table (rows are tokens) for gathers.
 *
 * @param dtype   the dtype it was given in
 * @param format  how it is stored on the device
 * @param values  offset of the values: floats (F32), halves (F16) or bytes (Q8_0, Q4_0)
 * @param scales  offset of the per-block float scales (Q8_0, Q4_0), else -1
 * @param owner   the session that holds it; a matrix is only valid with its own backend
 */
record ResidentMatrix(DType dtype, Format format, long outFeatures, long inFeatures, int values, int scales,
                      DeviceSession owner) implements Weight {

    /** Device storage formats. Q4_K, Q6_K, BF16 (and F16 on devices without fp16) are stored as F32. */
    enum Format { F32, F16, Q8_0, Q4_0 }

    @Override
    public String toString() {
        return "ResidentMatrix[" + dtype + " as " + format + ", " + outFeatures + " x " + inFeatures + "]";
    }
}
