package dev.infer4j.models.onnx;

import dev.infer4j.models.weights.ModelFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads protocol-buffer wire format from a window {@code [position, end)} of a memory segment,
 * without copying the payloads: a length-delimited field is returned as the window it occupies.
 * Every read is bounds-checked against the window, so a truncated or corrupt file raises
 * {@link ModelFormatException} with the offset instead of reading past the end.
 */
final class ProtoCursor {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final MemorySegment data;
    private final Path file;
    private final String context;
    private long position;
    private final long end;
    private int fieldNumber;
    private int wireType;
    /** Payload window of the last length-delimited field read. */
    private long lastStart;
    private long lastEnd;

    ProtoCursor(MemorySegment data, Path file, String context, long start, long end) {
        this.data = data;
        this.file = file;
        this.context = context;
        this.position = start;
        this.end = end;
    }

    boolean hasNext() {
        return position < end;
    }

    /** Reads the next field's key; returns its field number. */
    int next() {
        long at = position;
        long key = readVarint();
        fieldNumber = (int) (key >>> 3);
        wireType = (int) (key & 7);
        if (fieldNumber <= 0 || key >>> 3 > 0x1FFFFFFF) {
            throw malformed(at, "invalid field number " + (key >>> 3));
        }
        if (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH_DELIMITED && wireType != FIXED32) {
            throw malformed(at, "field " + fieldNumber + " has unsupported wire type " + wireType);
        }
        return fieldNumber;
    }

    int wireType() {
        return wireType;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw malformed(position, "truncated varint");
            }
            byte b = data.get(ValueLayout.JAVA_BYTE, position++);
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw malformed(position, "varint longer than 10 bytes");
    }

    /** The value of a varint field; throws if the current field is not one. */
    long varintValue() {
        expect(VARINT);
        return readVarint();
    }

    /** Start offset of the current length-delimited field's payload; the cursor moves past it. Use {@link #lastEnd()} for its end. */
    long payloadStart() {
        expect(LENGTH_DELIMITED);
        long at = position;
        long length = readVarint();
        if (length < 0 || length > end - position) {
            throw malformed(at, "field " + fieldNumber + " claims " + length + " bytes but only "
                    + (end - position) + " remain (truncated file?)");
        }
        lastStart = position;
        lastEnd = position + length;
        position = lastEnd;
        return lastStart;
    }

    long lastEnd() {
        return lastEnd;
    }

    /** A cursor over the current length-delimited field (an embedded message). */
    ProtoCursor message(String what) {
        long start = payloadStart();
        return new ProtoCursor(data, file, what, start, lastEnd);
    }

    String string() {
        long start = payloadStart();
        long length = lastEnd - start;
        if (length > Integer.MAX_VALUE) {
            throw malformed(start, "string of " + length + " bytes");
        }
        byte[] bytes = data.asSlice(start, length).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Skips the current field's value. */
    void skip() {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> advance(8);
            case FIXED32 -> advance(4);
            case LENGTH_DELIMITED -> payloadStart();
            default -> throw new IllegalStateException("wire type " + wireType);
        }
    }

    private void advance(long bytes) {
        if (end - position < bytes) {
            throw malformed(position, "truncated fixed-width field " + fieldNumber);
        }
        position += bytes;
    }

    private void expect(int type) {
        if (wireType != type) {
            throw malformed(position, "field " + fieldNumber + " has wire type " + wireType + ", expected " + type);
        }
    }

    ModelFormatException malformed(long offset, String problem) {
        return new ModelFormatException(file, null, "not a valid ONNX model: " + problem + " in " + context
                + " at byte offset " + offset);
    }
}
