package dev.infer4j.benchmarks.kernels;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH secondary results that turn a kernel's work per call into rates: each benchmark adds its
 * work per call, and JMH divides by the measured time, so with a time unit of seconds the figures
 * read directly as GFLOP/s or GB/s.
 */
public final class Rates {
    private Rates() {
    }

    /** {@code gflops}: billions of floating-point operations per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    /** {@code gbytes}: billions of bytes read per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public double gbytes;

        @Setup(Level.Iteration)
        public void reset() {
            gbytes = 0;
        }
    }
}
