package dev.infer4j.kernels.cpu.matmul;

import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.kernels.cpu.WorkerPool;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Matrix multiplication for the CPU backend: {@code out = x · Wᵀ + bias}, for weights of every
 * floating-point {@link DType}.
 *
 * <p>{@link #prepare} turns a weight into the form its kernels stream best ({@link PackedWeight}):
 * <ul>
 *   <li>F32 (either layout) and any dtype stored {@code [in, out]}: F32 panels;</li>
 *   <li>F16, BF16 (either layout): 16-bit panels, widened while streaming;</li>
 *   <li>Q8_0, Q4_0 {@code [out, in]}: panels with scales and quants split apart, bytes unchanged;</li>
 *   <li>Q4_K, Q6_K {@code [out, in]}: the GGUF blocks in place.</li>
 * </ul>
 * {@link #matmul} runs a GEMV kernel per weight format when x has one row, small-batch kernels for a few rows
 * of Q4_0, Q8_0 and Q6_K weights ({@link SmallBatchMatmul}, numerically the GEMV row by row), and otherwise the
 * F32 GEMM micro-kernel, unpacking quantized panels block by block into F32 first. Both spread the output
 * features over the pool's threads. Accuracy: F32 sums in F32 with FMA (like any BLAS); quantized
 * weights multiply F32 activations exactly as dequantized, differing from a dequantize-then-multiply
 * reference only by summation order.
 */
public final class CpuMatmul {
    private CpuMatmul() {
    }

    /** Prepares a 2-D weight stored as {@code layout} for {@link #matmul}. */
    public static Weight prepare(Tensor weight, WeightLayout layout) {
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(layout, "layout");
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("a matmul weight must be 2-D, got " + weight);
        }
        if (weight.dim(0) > Integer.MAX_VALUE || weight.dim(1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("matmul weight dimensions must fit an int, got " + weight);
        }
        DType type = weight.dtype();
        if (type == DType.I32) {
            throw new IllegalArgumentException("a matmul weight must be floating point, got " + weight);
        }
        if (layout == WeightLayout.IN_OUT) {
            return switch (type) {
                case F16, BF16 -> HalfPanels.of(weight, layout);
                default -> F32Panels.fromInOut(weight);
            };
        }
        return switch (type) {
            case F32 -> F32Panels.fromOutIn(weight);
            case F16, BF16 -> HalfPanels.of(weight, layout);
            case Q8_0 -> new Q8_0Panels(weight);
            case Q4_0 -> new Q4_0Panels(weight);
            case Q4_K -> new Q4_KPanels(weight);
            case Q6_K -> new Q6_KPanels(weight);
            case I32 -> throw new AssertionError("checked above");
        };
    }

    /**
     * {@code out[n, m] = x[n, k] · Wᵀ + bias} where {@code w} came from {@link #prepare}; x and out are F32
     * with {@code n} rows (all dimensions but the last), {@code bias} is F32 with {@code m} elements or null.
     * {@code out} must not overlap x or the bias.
     */
    public static void matmul(WorkerPool pool, Tensor x, Weight w, Tensor bias, Tensor out) {
        matmul(pool, x, w, bias, out, null);
    }

    /**
     * As {@link #matmul(WorkerPool, Tensor, Weight, Tensor, Tensor)}, then {@code epilogue} (if not null) on every
     * row of the output, stretch by stretch: each thread applies it to the columns it has just finished.
     */
    public static void matmul(WorkerPool pool, Tensor x, Weight w, Tensor bias, Tensor out, MatmulEpilogue epilogue) {
        Objects.requireNonNull(pool, "pool");
        if (!(w instanceof PackedWeight weight)) {
            throw new IllegalArgumentException("weight " + w + " was not prepared by CpuMatmul.prepare");
        }
        if (x.dtype() != DType.F32 || out.dtype() != DType.F32) {
            throw new IllegalArgumentException("matmul needs F32 x and out, got x " + x + ", out " + out);
        }
        long k = weight.inFeatures;
        long m = weight.outFeatures;
        if (x.columns() != k || out.columns() != m || x.rows() != out.rows()) {
            throw new IllegalArgumentException("matmul shapes do not fit: x " + x + " times weight " + weight
                    + " (" + m + " outputs, " + k + " inputs) into out " + out);
        }
        if (x.rows() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many rows in x: " + x);
        }
        MemorySegment biasData = null;
        if (bias != null) {
            if (bias.dtype() != DType.F32 || bias.elementCount() != m) {
                throw new IllegalArgumentException("bias must be F32 with " + m + " elements, got " + bias);
            }
            biasData = bias.segment();
            checkDisjoint(out, bias, "bias");
        }
        checkDisjoint(out, x, "x");
        MatmulScratch.current().task.run(pool, weight, x.segment(), x.rowBytes(), (int) x.rows(), out.segment(),
                out.rowBytes(), biasData, epilogue);
    }

    private static void checkDisjoint(Tensor out, Tensor input, String name) {
        if (out.segment().asOverlappingSlice(input.segment()).isPresent()) {
            throw new IllegalArgumentException("matmul output " + out + " overlaps its input " + name + " " + input);
        }
    }
}
