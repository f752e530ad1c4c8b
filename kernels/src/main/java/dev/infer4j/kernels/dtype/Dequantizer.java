package dev.infer4j.kernels.dtype;

import dev.infer4j.kernels.DType;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Decodes runs of elements of any floating-point {@link DType} to F32 (embedding lookups, tests, tools). */
public final class Dequantizer {
    private Dequantizer() {
    }

    /**
     * Decodes {@code count} elements (a whole number of blocks) starting at byte {@code byteOffset} of
     * {@code src} into {@code dst[dstOffset ..]}. Throws naming the problem when the count is not whole blocks
     * or either range falls outside its buffer.
     */
    public static void dequantize(DType dtype, MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        BlockCodec codec = BlockCodec.of(dtype);
        long bytes = checkedBytes(dtype, count);
        checkRange(src, byteOffset, bytes, dtype, count);
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        codec.dequantize(src, byteOffset, dst, dstOffset, count);
    }

    static long checkedBytes(DType dtype, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("element count must not be negative, got " + count);
        }
        return dtype.byteSize(count);
    }

    static void checkRange(MemorySegment segment, long byteOffset, long bytes, DType dtype, int count) {
        if (byteOffset < 0 || byteOffset > segment.byteSize() - bytes) {
            throw new IndexOutOfBoundsException(count + " " + dtype + " elements need bytes [" + byteOffset + ", "
                    + (byteOffset + bytes) + ") but the segment has " + segment.byteSize());
        }
    }
}
