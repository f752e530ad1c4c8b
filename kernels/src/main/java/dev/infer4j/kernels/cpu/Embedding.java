package dev.infer4j.kernels.cpu;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.dtype.Dequantizer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Row gathers from embedding tables of any dtype (quantized rows are decoded by {@link Dequantizer}). */
final class Embedding {
    private float[] row = new float[0];

    synchronized void embedding(Tensor table, int[] ids, int count, Tensor out) {
        if (table == null) {
            throw new IllegalArgumentException("embedding: table is null");
        }
        if (table.rank() != 2) {
            throw new IllegalArgumentException("embedding: table must be [vocabulary, dim], got " + table);
        }
        if (count <= 0) {
            throw new IllegalArgumentException("embedding: count must be positive, got " + count);
        }
        Checks.array("embedding", "ids", ids, count);
        int dim = Checks.toInt("embedding", "dim", table.columns());
        Checks.f32("embedding", "out", out);
        if (out.columns() != dim || out.rows() < count) {
            throw new IllegalArgumentException("embedding: out must have at least " + count + " rows of " + dim
                    + ", got " + out);
        }
        long vocabulary = table.rows();
        for (int i = 0; i < count; i++) {
            if (ids[i] < 0 || ids[i] >= vocabulary) {
                throw new IllegalArgumentException("embedding: id " + ids[i] + " at " + i
                        + " is outside the table of " + vocabulary + " rows");
            }
        }
        MemorySegment dst = out.segment();
        long rowBytes = table.rowBytes();
        if (table.dtype() == DType.F32) {
            for (int i = 0; i < count; i++) {
                MemorySegment.copy(table.segment(), ids[i] * rowBytes, dst, 4L * i * dim, 4L * dim);
            }
            return;
        }
        if (row.length < dim) {
            row = new float[dim];
        }
        for (int i = 0; i < count; i++) {
            Dequantizer.dequantize(table.dtype(), table.segment(), ids[i] * rowBytes, row, 0, dim);
            MemorySegment.copy(row, 0, dst, ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * i * dim, dim);
        }
    }
}
