package dev.infer4j.kernels;

/**
 * A matmul weight matrix prepared by a {@link Backend} (repacked, uploaded, or used in place).
 * Logically it is {@code outFeatures x inFeatures}: {@code y = x · Wᵀ}.
 */
public interface Weight {
    DType dtype();

    long outFeatures();

    long inFeatures();
}
