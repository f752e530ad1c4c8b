package dev.infer4j.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.engine.generate.FinishReason;
import dev.infer4j.engine.generate.GenerationOptions;
import dev.infer4j.engine.generate.GenerationResult;
import dev.infer4j.engine.generate.Generator;
import dev.infer4j.engine.generate.GeneratorOptions;
import dev.infer4j.engine.generate.SamplingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Continuous batching on stories260K against llama.cpp's greedy continuation and against itself run alone. */
class GenerationSchedulerTest {
    private static Generator generator;
    private static int[] referencePrompt;
    private static int[] referenceTokens;
    private static String referenceText;

    @BeforeAll
    static void load() throws Exception {
        String shared = System.getProperty("infer4j.shared.dir");
        if (shared == null) {
            throw new AssertionError("system property infer4j.shared.dir is not set");
        }
        Path dir = Path.of(shared, "models", "stories260K");
        Path model = dir.resolve("stories260K.gguf");
        Path reference = dir.resolve("reference/stories260K.once-upon-a-time.json");
        if (!Files.isRegularFile(model) || !Files.isRegularFile(reference)) {
            throw new AssertionError("missing test input " + model + " or " + reference);
        }
        String ref = Files.readString(reference);
        referencePrompt = ints(field(ref, "prompt_tokens", "\\[([^\\]]*)\\]"));
        referenceTokens = ints(field(ref, "generated_tokens", "\\[([^\\]]*)\\]"));
        referenceText = field(ref, "generated_text", "\"([^\"\\\\]*)\"");
        generator = Generator.load(model, GeneratorOptions.defaults().withThreads(1).withSessions(8)
                .withContextLength(256).withBatchSize(64));
    }

    @AfterAll
    static void close() {
        if (generator != null) {
            generator.close();
        }
    }

    /** The reference file's flat fields (an int list, an unescaped string) without a JSON library in this module. */
    private static String field(String json, String name, String valuePattern) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*" + valuePattern).matcher(json);
        if (!m.find()) {
            throw new AssertionError("reference file has no plain field " + name);
        }
        return m.group(1);
    }

    private static int[] ints(String list) {
        String[] parts = list.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Integer.parseInt(parts[i].trim());
        }
        return out;
    }

    private static GenerationScheduler scheduler(int parallel, int maxQueued) {
        return new GenerationScheduler(generator, GenerationSchedulerOptions.of(parallel, maxQueued), null);
    }

    private static GenerationRequest greedyReference() {
        return new GenerationRequest(referencePrompt,
                GenerationOptions.greedy(referenceTokens.length).withIgnoreEos(true));
    }

    @Test
    void aRepeatedPrefixIsReusedFromTheSlotsCacheAndGivesTheSameTokens() throws Exception {
        // the reference prompt followed by llama.cpp's continuation: a "system prompt" of 37 tokens
        int[] system = new int[referencePrompt.length + referenceTokens.length];
        System.arraycopy(referencePrompt, 0, system, 0, referencePrompt.length);
        System.arraycopy(referenceTokens, 0, system, referencePrompt.length, referenceTokens.length);
        int[] other = system.clone();
        other[other.length - 1] = 261; // same prefix but the last token
        GenerationOptions greedy = GenerationOptions.greedy(12).withIgnoreEos(true);
        try (GenerationScheduler s = scheduler(2, 4)) {
            GenerationResult first = s.submit(new GenerationRequest(system, greedy), null).result().get(60, TimeUnit.SECONDS);
            assertEquals(0, first.reusedTokens());
            GenerationResult again = s.submit(new GenerationRequest(system, greedy), null).result().get(60, TimeUnit.SECONDS);
            assertEquals(system.length - 1, again.reusedTokens(), "all but the last prompt token come from the cache");
            assertArrayEquals(first.tokens(), again.tokens());
            GenerationResult branch = s.submit(new GenerationRequest(other, greedy), null).result().get(60, TimeUnit.SECONDS);
            assertEquals(other.length - 1, branch.reusedTokens());
            // the answer continuing llama.cpp's own text reproduces llama.cpp's next tokens with or without reuse
            GenerationResult fromScratch = s.submit(new GenerationRequest(referencePrompt,
                    GenerationOptions.greedy(referenceTokens.length).withIgnoreEos(true)), null).result()
                    .get(60, TimeUnit.SECONDS);
            assertEquals(referencePrompt.length - 1, fromScratch.reusedTokens());
            assertArrayEquals(referenceTokens, fromScratch.tokens());
        }
    }

    @Test
    void greedyAloneMatchesLlamaCpp() throws Exception {
        assertArrayEquals(referencePrompt, generator.tokenizer().encode("Once upon a time", true).ids(),
                "prompt tokenization");
        try (GenerationScheduler s = scheduler(4, 4)) {
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = s.submit(greedyReference(), (token, text) -> streamed.append(text))
                    .result().get(60, TimeUnit.SECONDS);
            assertArrayEquals(referenceTokens, r.tokens());
            assertEquals(referenceText, r.text());
            assertEquals(referenceText, streamed.toString());
            assertEquals(FinishReason.MAX_TOKENS, r.finishReason());
        }
    }

    @Test
    void greedyMatchesLlamaCppWithFourConcurrentRequestsOfDifferentLengths() throws Exception {
        try (GenerationScheduler s = scheduler(4, 8)) {
            List<GenerationHandle> handles = new ArrayList<>();
            // a longer, different prompt joins too, so prefill and decode rows share steps
            int[] other = generator.tokenizer().encode("Lily and Tom went to the park to play with a big red ball", true).ids();
            handles.add(s.submit(new GenerationRequest(other, GenerationOptions.greedy(20).withIgnoreEos(true)), null));
            for (int i = 0; i < 4; i++) {
                handles.add(s.submit(greedyReference(), null));
            }
            for (int i = 1; i < handles.size(); i++) {
                GenerationResult r = handles.get(i).result().get(60, TimeUnit.SECONDS);
                assertArrayEquals(referenceTokens, r.tokens(), "request " + i);
            }
            handles.get(0).result().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void sameSeedSameTextAloneOrConcurrent() throws Exception {
        GenerationOptions sampled = new GenerationOptions(40, List.of(), SamplingOptions.defaults(1234).withTemperature(1.0f), true);
        GenerationRequest request = new GenerationRequest(referencePrompt, sampled);
        String alone;
        try (GenerationScheduler s = scheduler(4, 4)) {
            alone = s.submit(request, null).result().get(60, TimeUnit.SECONDS).text();
        }
        try (GenerationScheduler s = scheduler(4, 4)) {
            List<GenerationHandle> handles = new ArrayList<>();
            handles.add(s.submit(new GenerationRequest(referencePrompt, sampled.withSampling(sampled.sampling().withSeed(7))), null));
            for (int i = 0; i < 3; i++) {
                handles.add(s.submit(request, null));
            }
            String seven = handles.get(0).result().get(60, TimeUnit.SECONDS).text();
            for (int i = 1; i < 4; i++) {
                assertEquals(alone, handles.get(i).result().get(60, TimeUnit.SECONDS).text(), "request " + i);
            }
            assertNotEquals(alone, seven, "a different seed should give a different sample");
        }
    }

    @Test
    void cancellationFreesTheSlotForTheNextRequest() throws Exception {
        try (GenerationScheduler s = scheduler(1, 1)) {
            CountDownLatch firstToken = new CountDownLatch(1);
            GenerationRequest endless = new GenerationRequest(referencePrompt,
                    GenerationOptions.greedy(200).withIgnoreEos(true));
            GenerationHandle running = s.submit(endless, (t, text) -> firstToken.countDown());
            assertTrue(firstToken.await(30, TimeUnit.SECONDS));
            GenerationHandle waiting = s.submit(greedyReference(), null);
            assertThrows(QueueFullException.class, () -> s.submit(greedyReference(), null));
            running.cancel();
            assertThrows(CancellationException.class, () -> running.result().get(30, TimeUnit.SECONDS));
            assertArrayEquals(referenceTokens, waiting.result().get(60, TimeUnit.SECONDS).tokens());
            assertEquals(0, s.running());
        }
    }

    @Test
    void requestBeyondTheContextIsRefusedUpFront() {
        try (GenerationScheduler s = scheduler(1, 0)) {
            ContextLimitException e = assertThrows(ContextLimitException.class, () -> s.submit(
                    new GenerationRequest(referencePrompt, GenerationOptions.greedy(252)), null));
            assertEquals(5, e.promptTokens());
            assertEquals(256, e.contextLength());
            assertTrue(e.getMessage().contains("256"), e.getMessage());
        }
    }

    @Test
    void deadlineStopsARequest() {
        try (GenerationScheduler s = scheduler(1, 0)) {
            GenerationHandle h = s.submit(new GenerationRequest(referencePrompt,
                    GenerationOptions.greedy(240).withIgnoreEos(true), java.time.Duration.ofNanos(1)), null);
            ExecutionException e = assertThrows(ExecutionException.class, () -> h.result().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof DeadlineExceededException, e.toString());
        }
    }
}
