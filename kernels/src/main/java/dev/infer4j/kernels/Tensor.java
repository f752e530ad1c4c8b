package dev.infer4j.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A dense row-major tensor of rank 1 to 4 viewed over a {@link MemorySegment}. The segment may be
 * a memory-mapped weight file, an arena allocation or a heap array; a tensor never owns its memory,
 * whoever created the segment's arena does. The last dimension is the contiguous one ("columns");
 * for quantized types it must be a whole number of blocks.
 */
public final class Tensor {
    /** Alignment of tensors allocated by infer4j: a cache line, which also suits every vector width. */
    public static final long ALIGNMENT = 64;

    private final DType dtype;
    private final long[] shape;
    private final MemorySegment data;

    private Tensor(DType dtype, MemorySegment data, long[] shape) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /** A view of {@code data} as a tensor; {@code data} must hold exactly the bytes the shape needs. */
    public static Tensor of(DType dtype, MemorySegment data, long... shape) {
        long[] s = checkShape(dtype, shape);
        long bytes = dtype.byteSize(count(s));
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException("a " + dtype + " tensor of shape " + Arrays.toString(s) + " needs "
                    + bytes + " bytes, the segment has " + data.byteSize());
        }
        return new Tensor(dtype, data, s);
    }

    /** A zeroed tensor in {@code arena}, aligned to {@link #ALIGNMENT}. */
    public static Tensor allocate(Arena arena, DType dtype, long... shape) {
        long[] s = checkShape(dtype, shape);
        return new Tensor(dtype, arena.allocate(dtype.byteSize(count(s)), ALIGNMENT), s);
    }

    /** An F32 tensor over a copy of {@code values}; for tests and small constants. */
    public static Tensor ofFloats(Arena arena, float[] values, long... shape) {
        Tensor t = allocate(arena, DType.F32, shape);
        MemorySegment.copy(values, 0, t.data, java.lang.foreign.ValueLayout.JAVA_FLOAT, 0, values.length);
        return t;
    }

    private static long[] checkShape(DType dtype, long[] shape) {
        if (shape.length < 1 || shape.length > 4) {
            throw new IllegalArgumentException("tensors have rank 1 to 4, got shape " + Arrays.toString(shape));
        }
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor dimensions must be positive, got " + Arrays.toString(shape));
            }
        }
        long columns = shape[shape.length - 1];
        if (columns % dtype.blockSize() != 0) {
            throw new IllegalArgumentException(dtype + " rows must be whole blocks of " + dtype.blockSize()
                    + " elements; shape " + Arrays.toString(shape) + " has rows of " + columns);
        }
        return shape.clone();
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public DType dtype() {
        return dtype;
    }

    public MemorySegment segment() {
        return data;
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the last dimension (-1 is the last). */
    public long dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return count(shape);
    }

    public long byteSize() {
        return data.byteSize();
    }

    /** Number of elements in the last (contiguous) dimension. */
    public long columns() {
        return shape[shape.length - 1];
    }

    /** Product of all dimensions but the last. */
    public long rows() {
        return elementCount() / columns();
    }

    /** Bytes of one row of the last dimension. */
    public long rowBytes() {
        return dtype.byteSize(columns());
    }

    /** Stride of dimension {@code i} in elements (row-major). */
    public long stride(int i) {
        int k = i < 0 ? shape.length + i : i;
        long s = 1;
        for (int j = k + 1; j < shape.length; j++) {
            s *= shape[j];
        }
        return s;
    }

    /** The same memory seen with another shape of the same element count. */
    public Tensor reshape(long... newShape) {
        long[] s = checkShape(dtype, newShape);
        if (count(s) != elementCount()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(s));
        }
        return new Tensor(dtype, data, s);
    }

    /** Rows {@code [from, from + count)} of the tensor seen as a matrix of {@link #rows()} x {@link #columns()}. */
    public Tensor rowSlice(long from, long count) {
        if (from < 0 || count <= 0 || from + count > rows()) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + (from + count) + ") of " + rows());
        }
        long rb = rowBytes();
        return new Tensor(dtype, data.asSlice(from * rb, count * rb), new long[] {count, columns()});
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
