package dev.infer4j.kernels.tornadovm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;

/**
 * The read-only device data (weights, scales, norm parameters, tables), appended once and never changed.
 * The host arrays are the master copy: a plan uploads them whole when it is built, and data appended
 * while a plan exists is recorded as a pending range that the owner uploads before the next launch
 * (or, for halves, by rebuilding the plan). Arrays grow by replacement, which also calls for a new plan.
 */
final class ConstantArena {
    /** Floats, bytes or halves appended since the plan was built, still to be uploaded. */
    record Pending(Region region, long offset, long length) {
    }

    enum Region { FLOATS, BYTES, HALFS }

    private static final int ALIGN = 16;

    private FloatArray floats;
    private long floatsUsed;
    private ByteArray bytes;
    private long bytesUsed;
    private HalfFloatArray halfs;
    private long halfsUsed;
    private final List<Pending> pending = new ArrayList<>();
    private boolean planned;

    ConstantArena(boolean withHalfs) {
        floats = new FloatArray(1 << 16);
        bytes = new ByteArray(1 << 16);
        halfs = withHalfs ? new HalfFloatArray(1 << 16) : null;
    }

    FloatArray floats() {
        return floats;
    }

    ByteArray bytes() {
        return bytes;
    }

    HalfFloatArray halfs() {
        return halfs;
    }

    boolean hasHalfs() {
        return halfs != null;
    }

    /** Reserves {@code count} floats; returns their offset. Fill them through {@link #floatSegment}. */
    int appendFloats(long count) {
        long offset = floatsUsed;
        long end = offset + count;
        if (end > floats.getSize()) {
            FloatArray bigger = new FloatArray(size(Math.max(end + end / 8, 2L * floats.getSize()), "constant floats"));
            MemorySegment.copy(floats.getSegment(), 0, bigger.getSegment(), 0, floatsUsed * Float.BYTES);
            floats = bigger;
        }
        floatsUsed = align(end);
        record(Region.FLOATS, offset, count);
        return (int) offset;
    }

    /** Reserves {@code count} bytes; returns their offset. */
    int appendBytes(long count) {
        long offset = bytesUsed;
        long end = offset + count;
        if (end > bytes.getSize()) {
            ByteArray bigger = new ByteArray(size(Math.max(end + end / 8, 2L * bytes.getSize()), "quantized weight bytes"));
            MemorySegment.copy(bytes.getSegment(), 0, bigger.getSegment(), 0, bytesUsed);
            bytes = bigger;
        }
        bytesUsed = align(end);
        record(Region.BYTES, offset, count);
        return (int) offset;
    }

    /** Reserves {@code count} halves; returns their offset. */
    int appendHalfs(long count) {
        long offset = halfsUsed;
        long end = offset + count;
        if (end > halfs.getSize()) {
            HalfFloatArray bigger = new HalfFloatArray(size(Math.max(end + end / 8, 2L * halfs.getSize()), "F16 weights"));
            MemorySegment.copy(halfs.getSegment(), 0, bigger.getSegment(), 0, halfsUsed * 2);
            halfs = bigger;
        }
        halfsUsed = align(end);
        record(Region.HALFS, offset, count);
        return (int) offset;
    }

    /** The host memory of floats {@code [offset, offset + count)}, to fill after {@link #appendFloats}. */
    MemorySegment floatSegment(long offset, long count) {
        return floats.getSegment().asSlice(offset * Float.BYTES, count * Float.BYTES);
    }

    MemorySegment byteSegment(long offset, long count) {
        return bytes.getSegment().asSlice(offset, count);
    }

    MemorySegment halfSegment(long offset, long count) {
        return halfs.getSegment().asSlice(offset * 2, count * 2);
    }

    void setFloat(long offset, float value) {
        floats.getSegment().setAtIndex(ValueLayout.JAVA_FLOAT, offset, value);
    }

    /**
     * Called when a plan is built over the current arrays: leaves room for data appended later (norm weights
     * and biases arrive on first use) so that it does not force another plan, and clears the pending list.
     */
    void planned(long spareFloats, long spareBytes) {
        if (floats.getSize() < floatsUsed + spareFloats) {
            FloatArray bigger = new FloatArray(size(floatsUsed + spareFloats, "constant floats"));
            MemorySegment.copy(floats.getSegment(), 0, bigger.getSegment(), 0, floatsUsed * Float.BYTES);
            floats = bigger;
        }
        if (bytes.getSize() < bytesUsed + spareBytes) {
            ByteArray bigger = new ByteArray(size(bytesUsed + spareBytes, "quantized weight bytes"));
            MemorySegment.copy(bytes.getSegment(), 0, bigger.getSegment(), 0, bytesUsed);
            bytes = bigger;
        }
        pending.clear();
        planned = true;
    }

    long floatsUsed() {
        return floatsUsed;
    }

    long bytesUsed() {
        return bytesUsed;
    }

    /** Ranges appended since the plan was built; the caller uploads them and then calls {@link #uploaded}. */
    List<Pending> pending() {
        return pending;
    }

    void uploaded() {
        pending.clear();
    }

    private void record(Region region, long offset, long count) {
        if (planned) {
            pending.add(new Pending(region, offset, count));
        }
    }

    private static long align(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static int size(long n, String what) {
        if (n > ActivationArena.MAX_FLOATS) {
            throw new DeviceException("the device arena for " + what + " would need " + n
                    + " elements; TornadoVM arrays hold at most " + ActivationArena.MAX_FLOATS);
        }
        return (int) n;
    }
}
