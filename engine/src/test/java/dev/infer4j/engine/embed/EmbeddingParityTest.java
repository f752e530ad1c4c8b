package dev.infer4j.engine.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.testing.EncoderTexts;
import dev.infer4j.engine.testing.OrtEncoder;
import dev.infer4j.models.bert.PoolingMode;
import dev.infer4j.models.registry.EncoderModelFiles;
import dev.infer4j.models.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in models end to end (tokenizer, encoder, pooling, normalisation) against ONNX Runtime on
 * the same ONNX files with Hugging Face's tokenizer, on 200+ varied texts including truncated ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingParityTest {
    private static final double MIN_COSINE = 0.9999;
    private static final double MIN_BATCH_COSINE = 0.99999;

    private final List<String> texts = EncoderTexts.corpus();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final java.util.Map<String, Fixture> fixtures = new java.util.HashMap<>();

    @BeforeAll
    void corpusIsLargeEnough() {
        assertTrue(texts.size() >= 200, "corpus has " + texts.size() + " texts");
    }

    @AfterAll
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private record Fixture(EmbeddingModel model, OrtEncoder ort, EncoderModelFiles files) {
    }

    private Fixture fixture(String name) {
        return fixtures.computeIfAbsent(name, this::open);
    }

    private Fixture open(String name) {
        EncoderModelFiles files = ModelRegistry.userDefault().openEncoder(name);
        EmbeddingModel model = Infer4j.embeddingModel(name, 2);
        OrtEncoder ort = new OrtEncoder(files.weights().file(), files.tokenizerJson(), files.maxTokens());
        open.add(files);
        open.add(model);
        open.add(ort);
        return new Fixture(model, ort, files);
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5"})
    void matchesOnnxRuntimeOnVariedTexts(String name) {
        Fixture f = fixture(name);
        boolean cls = f.files().pooling() == PoolingMode.CLS;
        float[][] expected = f.ort().embed(texts, cls, true, 8);
        long[][] expectedIds = f.ort().tokenize(texts);
        EmbeddingResult actual = f.model().embed(texts, EmbedOptions.DEFAULT);

        double minCosine = 1;
        double maxAbs = 0;
        int truncated = 0;
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(expectedIds[i].length, actual.tokenCounts()[i], "token count of text " + i);
            assertEquals(expectedIds[i].length == f.files().maxTokens() && f.model().tokenize(texts.get(i)).length
                    > f.files().maxTokens(), actual.truncated()[i], "truncation flag of text " + i);
            truncated += actual.truncated()[i] ? 1 : 0;
            double cos = OrtEncoder.cosine(expected[i], actual.vectors()[i]);
            assertTrue(cos >= MIN_COSINE, name + " text " + i + " cosine " + cos + ": " + texts.get(i));
            minCosine = Math.min(minCosine, cos);
            maxAbs = Math.max(maxAbs, OrtEncoder.maxAbsDiff(expected[i], actual.vectors()[i]));
        }
        assertTrue(truncated >= 5, "the corpus must exercise truncation; " + truncated + " texts were cut");
        System.out.printf("%s vs ONNX Runtime: %d texts (%d truncated), min cosine %.8f, max abs diff %.3g%n",
                name, texts.size(), truncated, minCosine, maxAbs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5"})
    void aBatchGivesWhatSingleInputsGive(String name) {
        Fixture f = fixture(name);
        List<String> sample = new ArrayList<>(texts.subList(0, 30));
        sample.addAll(EncoderTexts.longTexts(4, new Random(7)));
        EmbeddingResult batch = f.model().embed(sample, EmbedOptions.DEFAULT);
        double minCosine = 1;
        for (int i = 0; i < sample.size(); i++) {
            EmbeddingResult single = f.model().embed(List.of(sample.get(i)), EmbedOptions.DEFAULT);
            double cos = OrtEncoder.cosine(single.vectors()[0], batch.vectors()[i]);
            assertTrue(cos >= MIN_BATCH_COSINE, "text " + i + " cosine " + cos);
            minCosine = Math.min(minCosine, cos);
            assertEquals(single.tokenCounts()[0], batch.tokenCounts()[i]);
        }
        System.out.printf("%s batch vs single: min cosine %.9f%n", name, minCosine);
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2"})
    void optionsNormalisationDimensionsAndTokenIds(String name) {
        Fixture f = fixture(name);
        List<String> sample = texts.subList(0, 24);
        float[][] raw = f.ort().embed(sample, false, false, 8);
        EmbeddingResult unnormalised = f.model().embed(sample, new EmbedOptions(false, null, true, false));
        for (int i = 0; i < sample.size(); i++) {
            assertTrue(OrtEncoder.cosine(raw[i], unnormalised.vectors()[i]) >= MIN_COSINE);
            float[] rel = new float[raw[i].length];
            for (int d = 0; d < rel.length; d++) {
                rel[d] = unnormalised.vectors()[i][d] - raw[i][d];
            }
            assertTrue(norm(rel) <= 1e-3 * norm(raw[i]), "unnormalised vectors keep ORT's scale");
        }
        // Matryoshka: the first 128 dimensions, renormalised
        EmbeddingResult small = f.model().embed(sample, new EmbedOptions(null, 128, true, false));
        for (int i = 0; i < sample.size(); i++) {
            assertEquals(128, small.vectors()[i].length);
            assertEquals(1.0, norm(small.vectors()[i]), 1e-5);
            assertTrue(OrtEncoder.cosine(java.util.Arrays.copyOf(raw[i], 128), small.vectors()[i]) >= MIN_COSINE);
        }
        assertThrows(IllegalArgumentException.class, () -> f.model().embed(sample, new EmbedOptions(null, 0, true, false)));
        assertThrows(IllegalArgumentException.class, () -> f.model().embed(sample, new EmbedOptions(null, 385, true, false)));
        // ids without special tokens embed exactly as the text does
        List<int[]> ids = new ArrayList<>();
        for (String t : sample) {
            ids.add(f.model().tokenize(t, false));
        }
        EmbeddingResult fromIds = f.model().embedTokens(ids, EmbedOptions.DEFAULT);
        EmbeddingResult fromText = f.model().embed(sample, EmbedOptions.DEFAULT);
        for (int i = 0; i < sample.size(); i++) {
            assertArrayEquals(fromText.vectors()[i], fromIds.vectors()[i], 1e-6f);
            assertArrayEquals(f.model().tokenize(sample.get(i)), withSpecials(ids.get(i)));
        }
        assertThrows(IllegalArgumentException.class, () -> f.model().embedTokens(List.of(new int[] {30522}), EmbedOptions.DEFAULT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2"})
    void overLongInputsAreCutFromEitherSideOrRejected(String name) {
        Fixture f = fixture(name);
        String longText = EncoderTexts.longTexts(8, new Random(3)).get(7);
        int fullLength = f.model().tokenize(longText).length;
        int max = f.files().maxTokens();
        assertTrue(fullLength > max);
        InputTooLongException e = assertThrows(InputTooLongException.class,
                () -> f.model().embed(List.of("short", longText), new EmbedOptions(null, null, false, false)));
        assertEquals(1, e.index());
        assertEquals(fullLength, e.tokens());
        assertEquals(max, e.maxTokens());
        assertThrows(InputTooLongException.class, () -> f.model().embedTokens(
                List.of(f.model().tokenize(longText, false)), new EmbedOptions(null, null, false, false)));

        // left truncation keeps [CLS], the last max-2 tokens and [SEP]; compare with ONNX Runtime on those ids
        int[] full = f.model().tokenize(longText);
        long[] leftIds = new long[max];
        leftIds[0] = full[0];
        for (int i = 1; i < max - 1; i++) {
            leftIds[i] = full[full.length - max + i];
        }
        leftIds[max - 1] = full[full.length - 1];
        float[] expected = meanNormalised(f.ort().run(new long[][] {leftIds}, null, "last_hidden_state")[0]);
        EmbeddingResult left = f.model().embed(List.of(longText), new EmbedOptions(null, null, true, true));
        assertTrue(left.truncated()[0]);
        assertEquals(max, left.tokenCounts()[0]);
        assertTrue(OrtEncoder.cosine(expected, left.vectors()[0]) >= MIN_COSINE);
        EmbeddingResult right = f.model().embed(List.of(longText), EmbedOptions.DEFAULT);
        assertFalse(OrtEncoder.cosine(right.vectors()[0], left.vectors()[0]) > 0.99999, "the two ends differ");
    }

    private static float[] meanNormalised(float[][] states) {
        float[] v = new float[states[0].length];
        for (float[] row : states) {
            for (int d = 0; d < v.length; d++) {
                v[d] += row[d] / states.length;
            }
        }
        double n = norm(v);
        for (int d = 0; d < v.length; d++) {
            v[d] /= (float) n;
        }
        return v;
    }

    private static int[] withSpecials(int[] ids) {
        int[] full = new int[ids.length + 2];
        full[0] = 101;
        System.arraycopy(ids, 0, full, 1, ids.length);
        full[ids.length + 1] = 102;
        return full;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
