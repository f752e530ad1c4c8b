package dev.infer4j.kernels.cpu;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;

/** Argument checks shared by the CPU operations; each failure names the operation and the mismatch. */
final class Checks {
    private Checks() {
    }

    static void f32(String op, String name, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        if (t.dtype() != DType.F32) {
            throw new IllegalArgumentException(op + ": " + name + " must be F32, got " + t);
        }
    }

    /** {@code t} is F32 with {@code rows x columns} elements seen as rows of {@code columns}. */
    static void matrix(String op, String name, Tensor t, long rows, long columns) {
        f32(op, name, t);
        if (t.columns() != columns || t.rows() != rows) {
            throw new IllegalArgumentException(op + ": " + name + " must be " + rows + " rows of " + columns
                    + ", got " + t);
        }
    }

    /** {@code t} is an F32 vector of {@code length} elements (any rank). */
    static void vector(String op, String name, Tensor t, long length) {
        f32(op, name, t);
        if (t.elementCount() != length) {
            throw new IllegalArgumentException(op + ": " + name + " must hold " + length + " values, got " + t);
        }
    }

    static int toInt(String op, String what, long v) {
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + what + " " + v + " exceeds " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    static void array(String op, String name, int[] a, int needed) {
        if (a == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        if (a.length < needed) {
            throw new IllegalArgumentException(op + ": " + name + " has " + a.length + " entries, needs " + needed);
        }
    }
}
