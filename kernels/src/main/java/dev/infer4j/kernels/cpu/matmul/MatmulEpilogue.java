package dev.infer4j.kernels.cpu.matmul;

import java.lang.foreign.MemorySegment;

/**
 * Work on a matmul's output that a thread does right after computing part of it, while that part is still in its
 * cache and without a second parallel loop: an activation applied in place.
 */
@FunctionalInterface
public interface MatmulEpilogue {
    /** Applies to the {@code count} floats of {@code out} from byte {@code offset}: one row's columns of one chunk. */
    void apply(MemorySegment out, long offset, int count);
}
