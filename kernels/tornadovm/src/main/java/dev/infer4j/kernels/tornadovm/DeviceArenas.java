package dev.infer4j.kernels.tornadovm;

import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;

/**
 * The device-resident arrays every kernel addresses by offset, as one generation of a {@link DevicePlan}:
 * TornadoVM keeps device buffers per task graph, so the backend keeps all its data in these few arrays,
 * which every graph of the plan consumes from the previously run graph and persists for the next.
 *
 * @param activations tensors made by {@code allocate}, F32 (and I32 bit patterns)
 * @param constants   read-only floats: F32 weights, quantization scales, norm weights, biases, tables, RoPE frequencies
 * @param quants      read-only bytes: Q8_0 quants and Q4_0 nibbles
 * @param halfs       read-only F16 weights; null on devices without fp16, where F16 weights become F32 constants
 */
record DeviceArenas(FloatArray activations, FloatArray constants, ByteArray quants, HalfFloatArray halfs) {

    /** Bytes these arrays take on the device. */
    long deviceBytes() {
        return activations.getNumBytesOfSegment() + constants.getNumBytesOfSegment() + quants.getNumBytesOfSegment()
                + (halfs == null ? 0 : halfs.getNumBytesOfSegment());
    }

    /** The arrays, for TornadoVM's transfer declarations. */
    Object[] all() {
        return halfs == null
                ? new Object[] {activations, constants, quants}
                : new Object[] {activations, constants, quants, halfs};
    }
}
