package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.RopeSpec;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.WeightLayout;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The device side of one backend: the arenas, the current {@link DevicePlan} over them, host-device
 * transfers through the staging buffers, and the caches of uploaded host data (weights, tables, norm
 * parameters, RoPE frequencies), each uploaded once.
 *
 * <p>The plan is built lazily before the first launch and rebuilt only when an arena outgrows its device
 * array (a new array means new device buffers, so the activations are copied back first). Each build
 * leaves spare room, so that the parameters models pass on first use do not force another.
 */
final class DeviceSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DeviceSession.class.getName());
    /** Spare room left in each arena at a build: at least 16 MiB, or a fraction of what is used. */
    private static final long SPARE_FLOATS = 1 << 22;
    private static final long SPARE_BYTES = 1 << 22;
    /**
     * At most this many recorded steps (each new one rebuilds the plan and compiles its kernels again), and this
     * many keys remembered as seen once: beyond them, scopes run their launches one by one.
     */
    static final int MAX_RECORDED = 16;
    private static final int MAX_SEEN = 1024;
    /** System property: {@code false} runs every replay scope launch by launch, recording nothing. */
    static final String REPLAY = "infer4j.tornadovm.replay";

    private final TornadoDevice device;
    private final String deviceName;
    private final long memoryBudget;
    private final ActivationArena activations;
    private final ConstantArena constants;
    private final Map<MatrixKey, ResidentMatrix> matrices = new HashMap<>();
    private final Map<HostKey, Integer> vectors = new HashMap<>();
    private final Map<RopeKey, Integer> ropeTables = new HashMap<>();
    private final CapturedLaunches capture = new CapturedLaunches();
    /** Recorded steps by key, in the order recorded; a plan has a graph for each. */
    private final Map<Object, RecordedStep> recorded = new LinkedHashMap<>();
    /** Keys seen once and not recorded (yet): a key is recorded at its second sighting. */
    private final Set<Object> seenOnce = new HashSet<>();
    private boolean recording;
    private DevicePlan plan;
    private DeviceArenas planArenas;
    private int builds;
    private long executesOfClosedPlans;
    private long replays;
    private RecordedStep lastReplayed;
    private long uploadedBytes;
    private long downloadedBytes;

    /** Identity of host memory uploaded once: a model's tensors stay mapped at the same address while it lives. */
    private record HostKey(long address, long bytes, DType dtype) {
        static HostKey of(Tensor t) {
            return new HostKey(t.segment().address(), t.byteSize(), t.dtype());
        }
    }

    private record MatrixKey(HostKey host, WeightLayout layout) {
    }

    private record RopeKey(float theta, int rotaryDim, HostKey factors) {
    }

    DeviceSession(TornadoDevice device, String deviceName, boolean fp16, long memoryBudget, long initialActivationFloats) {
        this.device = device;
        this.deviceName = deviceName;
        this.memoryBudget = memoryBudget;
        this.activations = new ActivationArena(initialActivationFloats);
        this.constants = new ConstantArena(fp16);
        this.recording = !"false".equalsIgnoreCase(System.getProperty(REPLAY));
    }

    String deviceName() {
        return deviceName;
    }

    /** How many plans were built: 1 in normal use; more means an arena outgrew its device array. */
    int builds() {
        return builds;
    }

    /** Bytes of data sent to the device (arenas at each build, staged writes); per-launch parameters not counted. */
    long uploadedBytes() {
        return uploadedBytes;
    }

    /** Bytes of data brought back from the device (reads, and activations saved at a rebuild). */
    long downloadedBytes() {
        return downloadedBytes;
    }

    /** How many graphs ran (kernels, transfers and recorded steps) since the session started. */
    long executes() {
        return executesOfClosedPlans + (plan == null ? 0 : plan.executes());
    }

    /** How many replay scopes ran as one recorded graph. */
    long replays() {
        return replays;
    }

    /** The recorded step the last replayed scope ran, or null. */
    RecordedStep lastReplayed() {
        return lastReplayed;
    }

    /** How many steps are recorded. */
    int recordedSteps() {
        return recorded.size();
    }

    /** Whether replay scopes may be recorded (on by default; {@code -Dinfer4j.tornadovm.replay=false} turns it off). */
    void recording(boolean on) {
        recording = on;
    }

    ActivationArena activations() {
        return activations;
    }

    // ---- plan ---------------------------------------------------------------------------------

    /** The plan, built or rebuilt if the arenas changed, with pending constants uploaded. */
    DevicePlan plan() {
        if (plan == null || planArenas.activations() != activations.current() || planArenas.constants() != constants.floats()
                || planArenas.quants() != constants.bytes() || planArenas.halfs() != constants.halfs()
                || hasPendingHalfs() || plan.steps() != recorded.size()) {
            rebuild();
        } else if (!constants.pending().isEmpty()) {
            uploadPending();
        }
        return plan;
    }

    private boolean hasPendingHalfs() {
        for (ConstantArena.Pending p : constants.pending()) {
            if (p.region() == ConstantArena.Region.HALFS) {
                return true;
            }
        }
        return false;
    }

    private void rebuild() {
        FloatArray previous = planArenas == null ? null : planArenas.activations();
        long used = activations.used();
        activations.ensureCapacity(used + Math.max(SPARE_FLOATS, used / 4));
        constants.planned(Math.max(SPARE_FLOATS, constants.floatsUsed() / 8), Math.max(SPARE_BYTES, constants.bytesUsed() / 16));
        FloatArray next = activations.current();
        if (plan != null) {
            String why = plan.steps() != recorded.size() ? "a step was recorded" : "an arena outgrew its device array";
            // the device holds the activations' values: bring them over to the new array's host mirror
            readFloats(0, Math.min(used, previous.getSize()), next.getSegment());
            executesOfClosedPlans += plan.executes();
            plan.close();
            plan = null;
            LOG.log(Level.INFO, "TornadoVM backend: {0}; rebuilding the plan on {1} (its graphs compile again)", why, deviceName);
        }
        DeviceArenas arenas = new DeviceArenas(next, constants.floats(), constants.bytes(), constants.halfs());
        checkBudget(arenas);
        plan = new DevicePlan(device, deviceName, arenas, List.copyOf(recorded.values()), capture);
        planArenas = arenas;
        builds++;
        uploadedBytes += arenas.deviceBytes();
    }

    private void checkBudget(DeviceArenas arenas) {
        long staging = (DevicePlan.SMALL_STAGING + DevicePlan.LARGE_STAGING) * (long) Float.BYTES + DevicePlan.BYTE_STAGING;
        long need = arenas.deviceBytes() + staging;
        if (need > memoryBudget) {
            throw new DeviceException("out of device memory on '" + deviceName + "': the backend needs " + mib(need)
                    + " MiB (activations " + mib(arenas.activations().getNumBytesOfSegment()) + ", constants "
                    + mib(arenas.constants().getNumBytesOfSegment()) + ", quantized weights "
                    + mib(arenas.quants().getNumBytesOfSegment()) + (arenas.halfs() == null ? "" : ", F16 weights "
                    + mib(arenas.halfs().getNumBytesOfSegment())) + ") but may use " + mib(memoryBudget)
                    + " MiB (the device's global memory, TornadoVM's -Dtornado.device.memory, or infer4j.tornadovm.memory)");
        }
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    private void uploadPending() {
        for (ConstantArena.Pending p : constants.pending()) {
            switch (p.region()) {
                case FLOATS -> writeFloats(constants.floatSegment(p.offset(), p.length()), p.offset(), p.length(), 1);
                case BYTES -> writeBytes(p.offset(), p.length());
                case HALFS -> throw new IllegalStateException("F16 constants are uploaded by a rebuild");
            }
        }
        constants.uploaded();
    }

    // ---- replay scopes ------------------------------------------------------------------------

    /**
     * Runs {@code calls} with their launches collected (nothing runs on the device meanwhile but transfers of
     * constants), then: if {@code key} has a recording of the same structure, loads the launches' values into it
     * and runs it as one graph; otherwise runs them one by one, and records them if this is the key's second
     * sighting (a key seen once, e.g. one prompt length, is not worth a plan rebuild). A nested scope is part of
     * the outer one. If {@code calls} throws, nothing of the scope has run.
     */
    void replay(Object key, Runnable calls) {
        if (capture.active()) {
            calls.run();
            return;
        }
        capture.begin();
        try {
            calls.run();
        } finally {
            capture.stop();
        }
        RecordedStep step = recorded.get(key);
        if (step != null && step.matches(capture)) {
            step.load(capture);
            plan().launchStep(step);
            replays++;
            lastReplayed = step;
            return;
        }
        plan().launchEach(capture);
        if (step != null) {
            LOG.log(Level.DEBUG, "TornadoVM backend: the calls under key {0} differ from its recording; ran them one by one", key);
        } else if (recording && capture.size() > 0) {
            if (seenOnce.remove(key)) {
                if (recorded.size() < MAX_RECORDED) {
                    recorded.put(key, RecordedStep.of(key, capture));
                }
            } else if (seenOnce.size() < MAX_SEEN) {
                seenOnce.add(key);
            }
        }
    }

    /** Fails if a replay scope is collecting: {@code op} would exchange values with work that has not run. */
    void requireNoScope(String op) {
        if (capture.active()) {
            throw new IllegalStateException(op + " inside Backend.replay: the scope's work runs when it ends; call " + op
                    + " after the scope");
        }
    }

    // ---- transfers ----------------------------------------------------------------------------

    /** Copies {@code count} floats from host memory to arena {@code target} (0 activations, 1 constants) at {@code offset}. */
    void writeFloats(MemorySegment src, long offset, long count, int target) {
        long done = 0;
        while (done < count) {
            int chunk = (int) Math.min(count - done, DevicePlan.LARGE_STAGING);
            FloatArray staging = plan.stagingFor(chunk);
            Kernel kernel = staging.getSize() == DevicePlan.SMALL_STAGING ? Kernel.WRITE_F32_SMALL : Kernel.WRITE_F32_LARGE;
            MemorySegment.copy(src, done * Float.BYTES, staging.getSegment(), 0, (long) chunk * Float.BYTES);
            IntArray p = plan.params(kernel);
            p.set(0, Math.toIntExact(offset + done));
            p.set(1, chunk);
            p.set(2, target);
            plan.launch(kernel, chunk);
            done += chunk;
        }
        uploadedBytes += count * Float.BYTES;
    }

    private void writeBytes(long offset, long count) {
        long done = 0;
        ByteArray staging = plan.byteStaging();
        while (done < count) {
            int chunk = (int) Math.min(count - done, DevicePlan.BYTE_STAGING);
            MemorySegment.copy(constants.byteSegment(offset + done, chunk), 0, staging.getSegment(), 0, chunk);
            IntArray p = plan.params(Kernel.WRITE_BYTES);
            p.set(0, Math.toIntExact(offset + done));
            p.set(1, chunk);
            plan.launch(Kernel.WRITE_BYTES, chunk);
            done += chunk;
        }
        uploadedBytes += count;
    }

    /** Copies {@code count} activation floats from {@code offset} on the device into {@code dst}. */
    void readFloats(long offset, long count, MemorySegment dst) {
        long done = 0;
        while (done < count) {
            int chunk = (int) Math.min(count - done, DevicePlan.LARGE_STAGING);
            FloatArray staging = plan.stagingFor(chunk);
            Kernel kernel = staging.getSize() == DevicePlan.SMALL_STAGING ? Kernel.READ_F32_SMALL : Kernel.READ_F32_LARGE;
            IntArray p = plan.params(kernel);
            p.set(0, Math.toIntExact(offset + done));
            p.set(1, chunk);
            plan.launch(kernel, chunk);
            MemorySegment.copy(staging.getSegment(), 0, dst, done * Float.BYTES, (long) chunk * Float.BYTES);
            done += chunk;
        }
        downloadedBytes += count * Float.BYTES;
    }

    // ---- uploaded host data -------------------------------------------------------------------

    /** The resident copy of a host matrix (a weight or an embedding table), uploaded on first use. */
    ResidentMatrix matrix(Tensor t, WeightLayout layout) {
        MatrixKey key = new MatrixKey(HostKey.of(t), layout);
        ResidentMatrix m = matrices.get(key);
        if (m == null) {
            m = MatrixUploader.upload(constants, this, t, layout);
            matrices.put(key, m);
        }
        return m;
    }

    /** The constant-arena offset of a host vector (norm weight, bias) as F32, uploaded on first use. */
    int vector(Tensor t) {
        HostKey key = HostKey.of(t);
        Integer offset = vectors.get(key);
        if (offset == null) {
            offset = MatrixUploader.floats(constants, t);
            vectors.put(key, offset);
        }
        return offset;
    }

    /**
     * The constant-arena offset of the frequencies of {@code spec}: per rotated pair {@code i}, the float pair
     * {@code (hi, lo)} with {@code hi + lo = theta^(-2i/rotaryDim) / factor[i]} to double precision.
     */
    int ropeFrequencies(RopeSpec spec) {
        RopeKey key = new RopeKey(spec.theta(), spec.rotaryDim(), spec.freqFactors() == null ? null : HostKey.of(spec.freqFactors()));
        Integer offset = ropeTables.get(key);
        if (offset == null) {
            int half = spec.rotaryDim() / 2;
            offset = constants.appendFloats(2L * half);
            for (int i = 0; i < half; i++) {
                double f = Math.pow(spec.theta(), -2.0 * i / spec.rotaryDim());
                if (spec.freqFactors() != null) {
                    f /= spec.freqFactors().segment().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
                }
                float hi = (float) f;
                constants.setFloat(offset + 2L * i, hi);
                constants.setFloat(offset + 2L * i + 1, (float) (f - hi));
            }
            ropeTables.put(key, offset);
        }
        return offset;
    }

    @Override
    public void close() {
        if (plan != null) {
            plan.close();
            plan = null;
        }
    }
}
