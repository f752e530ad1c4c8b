package dev.infer4j.benchmarks.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.infer4j.tokenizer.Encoding;
import dev.infer4j.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encode throughput on a 12 MB generated English corpus, ours against Hugging Face tokenizers (Rust, through DJL's
 * JNI binding) in the same run: single-threaded line by line, and our batch encode (all cores) of the same lines.
 * Each invocation encodes the next block of 64 lines; the {@code bytes} counter gives UTF-8 bytes per second (divide
 * by 10^6 for MB/s).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar TokenizerEncodeBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
public class TokenizerEncodeBenchmark {

    private static final int BLOCK_LINES = 64;

    @Param({"wordpiece", "bytelevel"})
    public String tokenizer;

    private Tokenizer ours;
    private HuggingFaceTokenizer reference;
    private List<List<String>> blocks;
    private long[] blockBytes;
    private int next;

    /** UTF-8 bytes encoded, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void clear() {
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        TokenizerFixtures.Pair pair = TokenizerFixtures.load(tokenizer);
        ours = pair.ours();
        reference = pair.reference();
        List<String> lines = EnglishCorpus.lines(42L, 12_000_000L);
        blocks = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += BLOCK_LINES) {
            List<String> block = List.copyOf(lines.subList(i, Math.min(lines.size(), i + BLOCK_LINES)));
            blocks.add(block);
            long b = 0;
            for (String l : block) {
                b += l.getBytes(StandardCharsets.UTF_8).length;
            }
            sizes.add(b);
        }
        blockBytes = sizes.stream().mapToLong(Long::longValue).toArray();
        checkSameIds();
    }

    /** The comparison is only fair if both produce the same ids; check a sample. */
    private void checkSameIds() {
        for (int b = 0; b < blocks.size(); b += 97) {
            for (String line : blocks.get(b)) {
                long[] expected = reference.encode(line, true, false).getIds();
                int[] actual = ours.encode(line, true).ids();
                boolean same = expected.length == actual.length;
                for (int i = 0; same && i < actual.length; i++) {
                    same = expected[i] == actual[i];
                }
                if (!same) {
                    throw new IllegalStateException("ids differ from the reference for: " + line);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reference.close();
    }

    private int nextBlock() {
        int b = next;
        next = b + 1 == blocks.size() ? 0 : b + 1;
        return b;
    }

    @Benchmark
    public void infer4jSingleThread(Bytes counter, Blackhole bh) {
        int b = nextBlock();
        for (String line : blocks.get(b)) {
            Encoding e = ours.encode(line, true);
            bh.consume(e);
        }
        counter.bytes += blockBytes[b];
    }

    @Benchmark
    public void djlSingleThread(Bytes counter, Blackhole bh) {
        int b = nextBlock();
        for (String line : blocks.get(b)) {
            bh.consume(reference.encode(line, true, false));
        }
        counter.bytes += blockBytes[b];
    }

    @Benchmark
    public void infer4jBatchAllCores(Bytes counter, Blackhole bh) {
        int b = nextBlock();
        bh.consume(ours.encodeBatch(blocks.get(b), true));
        counter.bytes += blockBytes[b];
    }
}
