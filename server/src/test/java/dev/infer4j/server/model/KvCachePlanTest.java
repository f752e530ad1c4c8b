package dev.infer4j.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.models.llama.LlamaArchitecture;
import dev.infer4j.models.llama.LlamaConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The KV cache budget: the context fits the budget, or loading fails naming the numbers. */
class KvCachePlanTest {
    /** TinyLlama 1.1B: 22 layers, 4 KV heads of 64 → 2 × 22 × 256 × 4 bytes = 45056 bytes per position. */
    private static final LlamaConfig TINYLLAMA = new LlamaConfig(LlamaArchitecture.fromGgufName("llama"), 2048, 22, 32,
            4, 64, 5632, 32000, 2048, 1e-5f, 64, 10000f, 1f);

    private static GeneratorSettings settings(int parallel, int context, long budget) {
        return new GeneratorSettings(parallel, context, budget, 16, 128, Duration.ofMinutes(1), null);
    }

    @Test
    void withoutABudgetTheModelsContextCappedAt4096() {
        assertEquals(45056, KvCachePlan.bytesPerPosition(TINYLLAMA));
        KvCachePlan plan = KvCachePlan.of(TINYLLAMA, settings(4, 0, 0));
        assertEquals(2048, plan.context());
        assertEquals(4L * 2048 * 45056, plan.bytes());
        assertEquals(700, KvCachePlan.of(TINYLLAMA, settings(2, 700, 0)).context());
    }

    @Test
    void aBudgetShrinksTheDefaultContextToFit() {
        KvCachePlan plan = KvCachePlan.of(TINYLLAMA, settings(8, 0, 64L << 20));
        assertEquals((64L << 20) / (8 * 45056), plan.context()); // 186 positions per slot
        assertTrue(plan.bytes() <= 64L << 20);
        assertEquals(2048, KvCachePlan.of(TINYLLAMA, settings(1, 0, 1L << 30)).context(), "a roomy budget changes nothing");
    }

    @Test
    void anExplicitContextThatDoesNotFitTheBudgetFailsNamingTheNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KvCachePlan.of(TINYLLAMA, settings(8, 2048, 64L << 20)));
        assertTrue(e.getMessage().contains("--kv-cache-size 67108864 bytes holds 186 positions per slot, but "
                + "--parallel 8 x --ctx-size 2048 need 738197504 bytes (45056 per position)"), e.getMessage());
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> KvCachePlan.of(TINYLLAMA, settings(4, 0, 100_000)));
        assertTrue(tiny.getMessage().contains("holds only 0 positions per slot"), tiny.getMessage());
    }
}
