package dev.infer4j.models.gguf;

import dev.infer4j.models.weights.ModelFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A position in a GGUF file with bounds-checked little-endian reads. Every read first checks that the
 * bytes exist, and every length read from the file is checked against the bytes that remain before
 * anything is allocated, so a corrupt length fails with its offset instead of an out-of-bounds read or a
 * huge allocation.
 */
final class GgufCursor {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MemorySegment bytes;
    private long position;

    GgufCursor(Path file, MemorySegment bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    long position() {
        return position;
    }

    /** Moves back to a position already read (to re-read a value whose type was peeked). */
    void seek(long offset) {
        if (offset < 0 || offset > position) {
            throw new IllegalArgumentException("seek to " + offset + " from " + position);
        }
        position = offset;
    }

    long remaining() {
        return bytes.byteSize() - position;
    }

    /** A format error at the current position. */
    ModelFormatException error(String what) {
        return errorAt(position, what);
    }

    ModelFormatException errorAt(long offset, String what) {
        return new ModelFormatException(file, null, "at byte offset " + offset + ": " + what);
    }

    /** Fails unless {@code count} bytes remain, naming what was expected there. */
    void require(long count, String what) {
        if (count < 0 || count > remaining()) {
            throw error("expected " + what + " (" + Long.toUnsignedString(count) + " bytes) but the file has only "
                    + remaining() + " bytes left (truncated or corrupt)");
        }
    }

    byte i8(String what) {
        require(1, what);
        return bytes.get(ValueLayout.JAVA_BYTE, position++);
    }

    short i16(String what) {
        require(2, what);
        short v = bytes.get(I16, position);
        position += 2;
        return v;
    }

    int i32(String what) {
        require(4, what);
        int v = bytes.get(I32, position);
        position += 4;
        return v;
    }

    long u32(String what) {
        return Integer.toUnsignedLong(i32(what));
    }

    long i64(String what) {
        require(8, what);
        long v = bytes.get(I64, position);
        position += 8;
        return v;
    }

    float f32(String what) {
        require(4, what);
        float v = bytes.get(F32, position);
        position += 4;
        return v;
    }

    double f64(String what) {
        require(8, what);
        double v = bytes.get(F64, position);
        position += 8;
        return v;
    }

    /**
     * An element count for items of at least {@code minItemBytes} bytes each: fails unless that many
     * items could fit in the rest of the file and in a Java array.
     */
    int count(String what, int minItemBytes) {
        long start = position;
        long n = i64("the element count of " + what);
        long fits = remaining() / Math.max(1, minItemBytes);
        if (n < 0 || n > fits || n > Integer.MAX_VALUE - 8) {
            throw errorAt(start, what + " claims " + Long.toUnsignedString(n) + " elements of at least " + minItemBytes
                    + " bytes, but only " + remaining() + " bytes follow (corrupt length)");
        }
        return (int) n;
    }

    /** A GGUF string: {@code uint64} byte length, then UTF-8 bytes. */
    String string(String what) {
        long start = position;
        long n = i64("the length of " + what);
        if (n < 0 || n > remaining() || n > Integer.MAX_VALUE - 8) {
            throw errorAt(start, what + " claims " + Long.toUnsignedString(n) + " bytes, but only " + remaining()
                    + " bytes follow (corrupt length or truncated file)");
        }
        byte[] utf8 = new byte[(int) n];
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, position, utf8, 0, utf8.length);
        position += n;
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** Copies {@code n} little-endian values into the array (whose length is {@code n}); bounds already checked by {@link #count}. */
    void floats(float[] dst) {
        require(4L * dst.length, dst.length + " float32 values");
        MemorySegment.copy(bytes, F32, position, dst, 0, dst.length);
        position += 4L * dst.length;
    }

    void ints(int[] dst) {
        require(4L * dst.length, dst.length + " int32 values");
        MemorySegment.copy(bytes, I32, position, dst, 0, dst.length);
        position += 4L * dst.length;
    }

    void longs(long[] dst) {
        require(8L * dst.length, dst.length + " 64-bit values");
        MemorySegment.copy(bytes, I64, position, dst, 0, dst.length);
        position += 8L * dst.length;
    }

    void doubles(double[] dst) {
        require(8L * dst.length, dst.length + " float64 values");
        MemorySegment.copy(bytes, F64, position, dst, 0, dst.length);
        position += 8L * dst.length;
    }
}
