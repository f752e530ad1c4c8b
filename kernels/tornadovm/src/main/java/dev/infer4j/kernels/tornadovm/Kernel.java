package dev.infer4j.kernels.tornadovm;

import dev.infer4j.kernels.tornadovm.kernels.AttentionKernels;
import dev.infer4j.kernels.tornadovm.kernels.LinearKernels;
import dev.infer4j.kernels.tornadovm.kernels.RowKernels;

/**
 * Every device kernel the backend launches; each becomes one task graph of the {@link DevicePlan}.
 * Work-group sizes are fixed here (the kernels size their local memory by them) and set explicitly for
 * every launch, never left to the driver.
 */
enum Kernel {
    TOUCH(64, false, false, false),
    WRITE_F32_SMALL(64, false, false, false),
    WRITE_F32_LARGE(64, false, false, false),
    READ_F32_SMALL(64, false, false, false),
    READ_F32_LARGE(64, false, false, false),
    WRITE_BYTES(64, false, false, false),
    COPY(64, false, false, false),
    SCATTER_ROWS(64, true, false, false),
    ADD(64, false, false, false),
    SCALE(64, false, true, false),
    GELU(64, false, false, false),
    GELU_TANH(64, false, false, false),
    SILU(64, false, false, false),
    SWIGLU(64, false, false, false),
    RMS_NORM(RowKernels.GROUP, false, true, false),
    LAYER_NORM(RowKernels.GROUP, false, true, false),
    SOFTMAX(RowKernels.GROUP, false, false, false),
    L2_NORMALIZE(RowKernels.GROUP, false, false, false),
    GEMV_F32(LinearKernels.GEMV_GROUP, false, false, false),
    GEMV_Q8(LinearKernels.GEMV_GROUP, false, false, false),
    GEMV_Q4(LinearKernels.GEMV_GROUP, false, false, false),
    GEMV_F16(LinearKernels.GEMV_GROUP, false, false, true),
    GEMM_F32(LinearKernels.GEMM_GROUP, false, false, false),
    GEMM_Q8(LinearKernels.GEMM_GROUP, false, false, false),
    GEMM_Q4(LinearKernels.GEMM_GROUP, false, false, false),
    GEMM_F16(LinearKernels.GEMM_GROUP, false, false, true),
    GATHER_F32(64, true, false, false),
    GATHER_Q8(64, true, false, false),
    GATHER_Q4(64, true, false, false),
    GATHER_F16(64, true, false, true),
    MEAN_POOL(64, true, false, false),
    ROPE(64, true, true, false),
    ATTENTION(AttentionKernels.KEY_BLOCK, true, true, false);

    /** Work-items per work-group. */
    final int groupSize;
    /** Whether the int parameters carry a per-row list after the scalars. */
    final boolean takesList;
    /** Whether the kernel reads float parameters. */
    final boolean takesFloats;
    /** Whether the kernel reads half-precision weights, so needs a device with fp16. */
    final boolean needsHalfs;

    Kernel(int groupSize, boolean takesList, boolean takesFloats, boolean needsHalfs) {
        this.groupSize = groupSize;
        this.takesList = takesList;
        this.takesFloats = takesFloats;
        this.needsHalfs = needsHalfs;
    }

    /**
     * Whether launches of this kernel can be part of a recorded step: everything but the transfers, which move
     * host data through the staging buffers and so must run when they are called.
     */
    boolean recordable() {
        return switch (this) {
            case TOUCH, WRITE_F32_SMALL, WRITE_F32_LARGE, READ_F32_SMALL, READ_F32_LARGE, WRITE_BYTES -> false;
            default -> true;
        };
    }

    /** The task graph's name, also the kernel's name in error messages. */
    String graphName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
