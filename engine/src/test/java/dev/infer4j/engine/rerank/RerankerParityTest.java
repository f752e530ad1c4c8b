package dev.infer4j.engine.rerank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.embed.InputTooLongException;
import dev.infer4j.engine.testing.EncoderTexts;
import dev.infer4j.engine.testing.MiniLmDerivedModels;
import dev.infer4j.engine.testing.OrtEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cross-encoder (MiniLM + one-logit head with random weights, written in the test) against ONNX Runtime. */
class RerankerParityTest {
    @TempDir
    static Path dir;

    @Test
    void scoresAndRankingMatchOnnxRuntime() throws Exception {
        Path model = MiniLmDerivedModels.classifierDirectory(dir.resolve("reranker"), List.of("LABEL_0"), 21);
        String query = "How do plants turn sunlight into energy?";
        List<String> documents = new ArrayList<>(EncoderTexts.corpus().subList(30, 70));
        documents.addAll(EncoderTexts.longTexts(6, new Random(5)).subList(3, 6));
        try (Reranker reranker = Infer4j.reranker(model.toString(), 2);
             OrtEncoder ort = new OrtEncoder(model.resolve("model.onnx"), model.resolve("tokenizer.json"), 512)) {
            RerankResult result = reranker.rerank(query, documents, RerankOptions.DEFAULT);
            RerankResult raw = reranker.rerank(query, documents, new RerankOptions(true, true));
            long[][][] pairs = ort.tokenizePairs(Collections.nCopies(documents.size(), query), documents);
            float[] expected = new float[documents.size()];
            double maxAbs = 0;
            for (int i = 0; i < documents.size(); i++) {
                expected[i] = ort.run(new long[][] {pairs[i][0]}, new long[][] {pairs[i][1]}, "logits")[0][0][0];
                maxAbs = Math.max(maxAbs, Math.abs(expected[i] - raw.scores()[i]));
                assertEquals(1 / (1 + Math.exp(-raw.scores()[i])), result.scores()[i], 1e-6);
                assertEquals(pairs[i][0].length, result.tokenCounts()[i], "pair " + i + " token count");
            }
            assertTrue(maxAbs < 1e-4, "max abs logit difference " + maxAbs);
            assertTrue(result.truncated()[documents.size() - 1], "the longest document is cut to 512 tokens");
            // the ranking is the reference's order wherever the reference's scores are not nearly tied
            int[] ranking = result.ranking();
            for (int r = 1; r < ranking.length; r++) {
                assertTrue(result.scores()[ranking[r - 1]] >= result.scores()[ranking[r]]);
                assertTrue(expected[ranking[r - 1]] >= expected[ranking[r]] - 2 * maxAbs, "rank " + r);
            }
            System.out.printf("reranker vs ONNX Runtime: %d documents, max abs logit diff %.3g%n", documents.size(), maxAbs);
            assertThrows(InputTooLongException.class, () -> reranker.rerank(query, documents, new RerankOptions(false, false)));
        }
    }

    @Test
    void rankingIsByDescendingScoreWithTiesInInputOrder() {
        assertArrayEquals(new int[] {1, 3, 0, 2}, CrossEncoderReranker.ranking(new float[] {0.2f, 0.9f, 0.1f, 0.9f}));
        assertArrayEquals(new int[0], CrossEncoderReranker.ranking(new float[0]));
    }
}
