package dev.infer4j.benchmarks.kernels;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the kernel benchmarks in one go and prints each kernel's rate as a share of the machine's own
 * limits measured in the same run: GEMM GFLOP/s against {@link FmaPeakBenchmark#allCores}, GEMV GB/s
 * against {@link MemoryReadBenchmark}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.infer4j.benchmarks.kernels.KernelReport [regex]</pre>
 * The optional regex narrows the GEMM/GEMV benchmarks (the references always run); further arguments are
 * JMH parameters, e.g. {@code threads=1}.
 */
public final class KernelReport {
    private KernelReport() {
    }

    public static void main(String[] args) throws RunnerException {
        String filter = args.length > 0 ? args[0] : "(Gemm|Gemv)Benchmark";
        OptionsBuilder options = new OptionsBuilder();
        options.include(FmaPeakBenchmark.class.getName())
                .include(MemoryReadBenchmark.class.getName())
                .include(KernelReport.class.getPackageName() + ".*" + filter);
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            options.param(kv[0], kv[1].split(","));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        double peak = Double.NaN;
        double peakOneCore = Double.NaN;
        double bandwidth = Double.NaN;
        double bandwidthOneCore = Double.NaN;
        List<RunResult> kernels = new ArrayList<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            if (name.endsWith("FmaPeakBenchmark.allCores")) {
                peak = secondary(r, "gflops");
            } else if (name.endsWith("FmaPeakBenchmark.oneCore")) {
                peakOneCore = secondary(r, "gflops");
            } else if (name.endsWith("MemoryReadBenchmark.readAllCores")) {
                bandwidth = secondary(r, "gbytes");
            } else if (name.endsWith("MemoryReadBenchmark.readOneCore")) {
                bandwidthOneCore = secondary(r, "gbytes");
            } else {
                kernels.add(r);
            }
        }
        System.out.println();
        System.out.printf("FMA peak: %.1f GFLOP/s on all cores (%.1f on one); memory read: %.1f GB/s (%.1f on one)%n",
                peak, peakOneCore, bandwidth, bandwidthOneCore);
        System.out.printf("%-50s %15s %8s%n", "kernel", "rate", "of limit");
        for (RunResult r : kernels) {
            String name = r.getParams().getBenchmark();
            String label = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            // kernels run on one thread are compared with the one-core references
            boolean oneCore = "1".equals(r.getParams().getParam("threads"));
            StringBuilder params = new StringBuilder();
            for (String key : r.getParams().getParamsKeys()) {
                if (key.equals("cached")) {
                    params.append(Boolean.parseBoolean(r.getParams().getParam(key)) ? " (cached)" : "");
                } else if (!key.equals("threads")) {
                    params.append(' ').append(r.getParams().getParam(key));
                }
            }
            if (oneCore) {
                params.append(" (1 thread)");
            }
            if (r.getSecondaryResults().containsKey("gflops")) {
                double g = secondary(r, "gflops");
                System.out.printf("%-50s %7.1f GFLOP/s %6.0f %%%n", label + params, g, 100 * g / (oneCore ? peakOneCore : peak));
            } else if (r.getSecondaryResults().containsKey("gbytes")) {
                double g = secondary(r, "gbytes");
                System.out.printf("%-50s %7.1f GB/s    %6.0f %%%n", label + params, g, 100 * g / (oneCore ? bandwidthOneCore : bandwidth));
            }
        }
    }

    private static double secondary(RunResult r, String key) {
        Result<?> result = r.getSecondaryResults().get(key);
        return result == null ? Double.NaN : result.getScore();
    }
}
