package dev.infer4j.engine.generate;

import static dev.infer4j.engine.generate.SharedModelFiles.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * End to end through the public generation API against llama.cpp's reference runs (shared/models): prompt tokens
 * from the GGUF vocabulary, 32 greedy tokens and their text, plus sampling, stop strings, limits and sessions on
 * the real stories260K model.
 */
class GeneratorTest {
    private static final GeneratorOptions OPTIONS = GeneratorOptions.defaults().withThreads(2).withContextLength(256)
            .withSessions(2).withBatchSize(64);

    private static Generator stories(String file) {
        return Generator.load(SharedModelFiles.file("stories260K/" + file), OPTIONS);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "stories260K.gguf, stories260K.once-upon-a-time.json",
        "stories260K.gguf, stories260K.bos-only.json",
        "stories260K.gguf, stories260K.lily-and-ben.json",
        "stories260K-F16.gguf, stories260K-F16.once-upon-a-time.json",
        "stories260K-Q8_0.gguf, stories260K-Q8_0.once-upon-a-time.json",
        "stories260K-Q4_0.gguf, stories260K-Q4_0.once-upon-a-time.json"})
    void greedyGenerationEqualsLlamaCpp(String model, String reference) {
        JsonNode ref = SharedModelFiles.json("stories260K/reference/" + reference);
        try (Generator g = stories(model)) {
            String prompt = ref.get("prompt").asText();
            assertArrayEquals(ints(ref.get("prompt_tokens")), g.tokenizer().encode(prompt, true).ids(), "prompt tokens");
            StringBuilder streamed = new StringBuilder();
            List<Integer> tokens = new ArrayList<>();
            GenerationListener listener = new GenerationListener() {
                @Override
                public void onText(String text) {
                    assertTrue(!text.isEmpty());
                    streamed.append(text);
                }

                @Override
                public void onToken(int id) {
                    tokens.add(id);
                }
            };
            GenerationResult r = g.generate(prompt, GenerationOptions.greedy(32).withIgnoreEos(true), listener);
            assertArrayEquals(ints(ref.get("generated_tokens")), r.tokens(), "greedy tokens");
            String expected = ref.get("generated_text").asText();
            if (prompt.isEmpty()) {
                // after a lone BOS, SentencePiece's leading space of the first word is dropped, as Hugging Face's
                // decode does; llama.cpp's reference concatenates raw pieces and keeps it
                expected = expected.substring(1);
            }
            assertEquals(expected, r.text());
            assertEquals(r.text(), streamed.toString());
            assertEquals(32, tokens.size());
            assertEquals(FinishReason.MAX_TOKENS, r.finishReason());
        }
    }

    @ParameterizedTest
    @CsvSource({"llama-2-tiny-random.hello-world.json", "llama-2-tiny-random.quick-brown-fox.json"})
    void llama2VocabularyPromptTokensEqualLlamaCpp(String reference) {
        JsonNode ref = SharedModelFiles.json("llama-2-tiny-random/reference/" + reference);
        try (Generator g = Generator.load(SharedModelFiles.file("llama-2-tiny-random/llama-2-tiny-random.gguf"), OPTIONS)) {
            assertArrayEquals(ints(ref.get("prompt_tokens")), g.tokenizer().encode(ref.get("prompt").asText(), true).ids());
        }
    }

    @Test
    void generatedTextContinuesThePromptWithItsLeadingSpace() {
        try (Generator g = stories("stories260K.gguf")) {
            assertEquals(" there was a", g.generate("Once upon a time,", GenerationOptions.greedy(3),
                    GenerationListener.NONE).text());
        }
    }

    @Test
    void stopStringSpanningTokensEndsTheTextBeforeIt() {
        try (Generator g = stories("stories260K.gguf")) {
            // the greedy text is ", there was a little girl named Lily. ..."; "girl named" spans " g", "ir", "l", " named"
            GenerationResult r = g.generate("Once upon a time",
                    GenerationOptions.greedy(32).withStop(List.of("girl named", "zebra")), GenerationListener.NONE);
            assertEquals(", there was a little ", r.text());
            assertEquals(FinishReason.STOP_STRING, r.finishReason());
        }
    }

    @Test
    void sameSeedSameTextOtherSeedOtherText() {
        try (Generator g = stories("stories260K.gguf")) {
            GenerationOptions o = GenerationOptions.greedy(40).withSampling(SamplingOptions.defaults(7).withTemperature(1.2f));
            String a = g.generate("Once upon a time", o, GenerationListener.NONE).text();
            String b = g.generate("Once upon a time", o, GenerationListener.NONE).text();
            String c = g.generate("Once upon a time", o.withSampling(o.sampling().withSeed(8)), GenerationListener.NONE).text();
            assertEquals(a, b);
            assertNotEquals(a, c);
        }
    }

    @Test
    void sessionsReuseTheirCachedPrefix() {
        try (Generator g = stories("stories260K.gguf"); Session s = g.newSession(); Session fresh = g.newSession()) {
            GenerationResult first = s.generate("Once upon a time", GenerationOptions.greedy(8), GenerationListener.NONE);
            assertEquals(0, first.reusedTokens());
            String longer = "Once upon a time" + first.text();
            GenerationResult second = s.generate(longer, GenerationOptions.greedy(8), GenerationListener.NONE);
            assertTrue(second.reusedTokens() >= 5, "reused " + second.reusedTokens());
            GenerationResult reference = fresh.generate(longer, GenerationOptions.greedy(8), GenerationListener.NONE);
            assertEquals(reference.text(), second.text());
            assertArrayEquals(reference.tokens(), second.tokens());
            assertThrows(IllegalStateException.class, g::newSession, "both sessions are taken");
        }
    }

    @Test
    void limitsEndGenerationWithTheirReason() {
        GeneratorOptions small = OPTIONS.withContextLength(16);
        try (Generator g = Generator.load(SharedModelFiles.file("stories260K/stories260K.gguf"), small)) {
            GenerationResult r = g.generate("Once upon a time", GenerationOptions.greedy(100), GenerationListener.NONE);
            assertEquals(FinishReason.CONTEXT_FULL, r.finishReason());
            assertEquals(16 - 5 + 1, r.tokens().length, "positions 5..15 fed back, the last token sampled only");
            GenerationResult five = g.generate("Once upon a time", GenerationOptions.greedy(5), GenerationListener.NONE);
            assertEquals(5, five.tokens().length);
            assertEquals(FinishReason.MAX_TOKENS, five.finishReason());
            String longPrompt = "Once upon a time there was a little girl named Lily who loved to play outside";
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> g.generate(longPrompt, GenerationOptions.greedy(4), GenerationListener.NONE)).getMessage()
                    .contains("the context holds 16"));
        }
    }

    @Test
    void endOfSequenceStopsUnlessIgnored() {
        try (Generator g = stories("stories260K.gguf")) {
            // a strong bias towards </s> (id 2) makes it the first token
            GenerationOptions eos = GenerationOptions.greedy(10)
                    .withSampling(SamplingOptions.greedy().withLogitBias(Map.of(2, 100f)));
            GenerationResult r = g.generate("Once upon a time", eos, GenerationListener.NONE);
            assertEquals(FinishReason.END_OF_SEQUENCE, r.finishReason());
            assertEquals(0, r.tokens().length);
            assertEquals("", r.text());
            GenerationResult ignored = g.generate("Once upon a time", eos.withIgnoreEos(true), GenerationListener.NONE);
            assertEquals(10, ignored.tokens().length);
        }
    }

    @Test
    void streamedPiecesOfByteTokensAreWholeCharacters() {
        try (Generator g = Generator.load(SharedModelFiles.file("llama-2-tiny-random/llama-2-tiny-random.gguf"), OPTIONS)) {
            // ids 3..258 are <0x00>..<0xFF>: favour them so that UTF-8 sequences split over tokens (and broken ones) occur
            Map<Integer, Float> bias = new java.util.HashMap<>();
            for (int id = 3; id < 259; id++) {
                bias.put(id, 30f);
            }
            List<String> pieces = new ArrayList<>();
            GenerationResult r = g.generate("Hello", GenerationOptions.greedy(64).withIgnoreEos(true).withSampling(
                    SamplingOptions.defaults(3).withTopK(0).withMinP(0f).withTemperature(1f).withLogitBias(bias)),
                    pieces::add);
            assertEquals(64, r.tokens().length);
            assertEquals(r.text(), String.join("", pieces));
            for (String piece : pieces) {
                for (int i = 0; i < piece.length(); i++) {
                    char c = piece.charAt(i);
                    boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < piece.length()
                            && Character.isLowSurrogate(piece.charAt(i + 1));
                    assertTrue(!Character.isSurrogate(c) || pairedHigh || (i > 0 && Character.isLowSurrogate(c)),
                            "no piece ends inside a character: " + pieces);
                }
            }
        }
    }

    @Test
    void chatKeepsTheConversationInTheCacheAndUsesTheLlamaCppTokens() {
        try (Generator g = Generator.load(SharedModelFiles.file("llama-2-tiny-random/llama-2-tiny-random.gguf"), OPTIONS)) {
            // tokens from llama.cpp's llama-tokenize on the rendered prompts (special tokens parsed, BOS added)
            assertArrayEquals(new int[] {1, 518, 25580, 29962, 6324, 518, 29914, 25580, 29962},
                    g.encode(ChatTemplate.LLAMA2.render(List.of(ChatMessage.user("Hi")), true)));
            assertArrayEquals(new int[] {1, 518, 25580, 29962, 6324, 518, 29914, 25580, 29962, 15043, 29991, 29871, 2, 1,
                            518, 25580, 29962, 2648, 29872, 518, 29914, 25580, 29962},
                    g.encode(ChatTemplate.LLAMA2.render(List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"),
                            ChatMessage.user("Bye")), true)));
            try (ChatSession chat = g.newChat(ChatTemplate.LLAMA2)) {
                GenerationResult first = chat.send("Hi", GenerationOptions.greedy(6), GenerationListener.NONE);
                GenerationResult second = chat.send("Bye", GenerationOptions.greedy(6), GenerationListener.NONE);
                assertTrue(second.reusedTokens() >= 9, "the first turn stays cached: " + second.reusedTokens());
                assertEquals(4, chat.messages().size());
                assertEquals(first.text(), chat.messages().get(1).content());
            }
        }
        try (Generator g = stories("stories260K.gguf")) {
            assertTrue(assertThrows(UnsupportedChatTemplateException.class, g::newChat).getMessage()
                    .contains("no tokenizer.chat_template"));
        }
    }
}
