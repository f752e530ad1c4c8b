package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.tornadovm.kernels.Params;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Checks the tensors a {@link TornadoBackend} call is given and resolves them: activations to their arena
 * offsets, model parameters as host tensors. Every failure names the operation and the argument.
 */
final class Operands {
    private final DeviceSession session;
    private boolean closed;

    Operands(DeviceSession session) {
        this.session = session;
    }

    void open() {
        if (closed) {
            throw new IllegalStateException("the TornadoVM backend is closed");
        }
    }

    /** Marks the backend closed; true the first time. */
    boolean close() {
        boolean first = !closed;
        closed = true;
        return first;
    }

    /** The arena offset of an F32 activation of this backend; throws naming the argument otherwise. */
    long f32(String op, String what, Tensor t) {
        open();
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + what + " is null");
        }
        if (t.dtype() != DType.F32) {
            throw new IllegalArgumentException(op + ": " + what + " must be F32, got " + t);
        }
        long offset = session.activations().offsetOf(t);
        if (offset < 0) {
            throw new IllegalArgumentException(op + ": " + what + " " + t
                    + " is not an activation of this TornadoVM backend (allocate it with backend.allocate)");
        }
        return offset;
    }

    /** A parameter the model passes from host memory (never one of this backend's activations). */
    Tensor hostParameter(String op, String what, Tensor t) {
        open();
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + what + " is null");
        }
        if (session.activations().offsetOf(t) >= 0) {
            throw new IllegalArgumentException(op + ": " + what + " must be a host tensor (a model parameter), not an activation");
        }
        return t;
    }

    /** A host parameter of {@code length} floating-point values. */
    Tensor hostVector(String op, String what, Tensor t, long length) {
        hostParameter(op, what, t);
        if (t.elementCount() != length) {
            throw new IllegalArgumentException(op + ": " + what + " " + t + " needs " + length + " values");
        }
        if (t.dtype() == DType.I32) {
            throw new IllegalArgumentException(op + ": " + what + " must hold floating-point values, got " + t);
        }
        return t;
    }

    /** Copies {@code count} entries of {@code values} from {@code from} into the list slots of {@code p}. */
    static void list(IntArray p, int[] values, int from, int count) {
        MemorySegment.copy(values, from, p.getSegment(), ValueLayout.JAVA_INT, (long) Params.LIST * Integer.BYTES, count);
    }
}
