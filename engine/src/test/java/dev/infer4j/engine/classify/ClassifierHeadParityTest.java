package dev.infer4j.engine.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.testing.EncoderTexts;
import dev.infer4j.engine.testing.MiniLmDerivedModels;
import dev.infer4j.engine.testing.OrtEncoder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sequence-classification head on MiniLM (random head weights, written in the test) against ONNX Runtime. */
class ClassifierHeadParityTest {
    private static final List<String> LABELS = List.of("negative", "neutral", "positive");

    @TempDir
    static Path dir;

    @Test
    void logitsAndProbabilitiesMatchOnnxRuntime() throws Exception {
        Path model = MiniLmDerivedModels.classifierDirectory(dir.resolve("classifier"), LABELS, 11);
        List<String> texts = EncoderTexts.corpus().subList(0, 60);
        try (TextClassifier classifier = Infer4j.classifier(model.toString(), 2);
             OrtEncoder ort = new OrtEncoder(model.resolve("model.onnx"), model.resolve("tokenizer.json"), 512)) {
            assertEquals(LABELS, classifier.labels());
            ClassificationResult raw = classifier.classify(texts, new ClassifyOptions(ScoreActivation.NONE, true));
            ClassificationResult probabilities = classifier.classify(texts, ClassifyOptions.DEFAULT);
            long[][] ids = ort.tokenize(texts);
            double maxAbs = 0;
            int agree = 0;
            for (int i = 0; i < texts.size(); i++) {
                float[] expected = ort.run(new long[][] {ids[i]}, null, "logits")[0][0];
                for (int l = 0; l < LABELS.size(); l++) {
                    maxAbs = Math.max(maxAbs, Math.abs(expected[l] - raw.scores()[i][l]));
                }
                int best = 0;
                for (int l = 1; l < expected.length; l++) {
                    best = expected[l] > expected[best] ? l : best;
                }
                agree += best == probabilities.best(i) ? 1 : 0;
                double sum = 0;
                for (float p : probabilities.scores()[i]) {
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-5, "softmax sums to 1");
                float[] softmax = expected.clone();
                ScoreActivation.SOFTMAX.apply(softmax);
                for (int l = 0; l < LABELS.size(); l++) {
                    assertEquals(softmax[l], probabilities.scores()[i][l], 1e-4, "text " + i + " label " + l);
                }
                assertEquals(ids[i].length, raw.tokenCounts()[i]);
            }
            assertTrue(maxAbs < 1e-4, "max abs logit difference " + maxAbs);
            assertEquals(texts.size(), agree, "same top label for every text");
            System.out.printf("classifier head vs ONNX Runtime: %d texts, max abs logit diff %.3g%n", texts.size(), maxAbs);
        }
    }

    @Test
    void pairsAreClassifiedWithSegmentIds() throws Exception {
        Path model = MiniLmDerivedModels.classifierDirectory(dir.resolve("nli"), LABELS, 12);
        List<String> premises = List.of("A man is playing a guitar.", "The sky is blue.", "Cats are mammals.");
        List<String> hypotheses = List.of("Someone makes music.", "It is raining.", "Cats are animals.");
        try (TextClassifier classifier = Infer4j.classifier(model.toString(), 2);
             OrtEncoder ort = new OrtEncoder(model.resolve("model.onnx"), model.resolve("tokenizer.json"), 512)) {
            ClassificationResult result = classifier.classifyPairs(premises, hypotheses, new ClassifyOptions(ScoreActivation.NONE, true));
            long[][][] pairs = ort.tokenizePairs(premises, hypotheses);
            for (int i = 0; i < premises.size(); i++) {
                float[] expected = ort.run(new long[][] {pairs[i][0]}, new long[][] {pairs[i][1]}, "logits")[0][0];
                for (int l = 0; l < LABELS.size(); l++) {
                    assertEquals(expected[l], result.scores()[i][l], 1e-4);
                }
                assertEquals(pairs[i][0].length, result.tokenCounts()[i]);
            }
        }
    }
}
