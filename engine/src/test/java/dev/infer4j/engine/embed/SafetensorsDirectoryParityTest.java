package dev.infer4j.engine.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.engine.Infer4j;
import dev.infer4j.engine.testing.EncoderTexts;
import dev.infer4j.engine.testing.MiniLmDerivedModels;
import dev.infer4j.engine.testing.OrtEncoder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * MiniLM's weights rewritten as a sentence-transformers directory with {@code model.safetensors}
 * (F32, F16, BF16), loaded through the HF directory path and compared with ONNX Runtime on the original.
 */
class SafetensorsDirectoryParityTest {
    @TempDir
    static Path dir;

    @ParameterizedTest
    @CsvSource({"F32, 0.9999", "F16, 0.9999", "BF16, 0.999"})
    void matchesOnnxRuntime(String dtype, double minCosine) throws Exception {
        Path model = MiniLmDerivedModels.safetensorsDirectory(dir.resolve(dtype), dtype);
        List<String> texts = EncoderTexts.corpus().subList(0, 80);
        try (EmbeddingModel embeddings = Infer4j.embeddingModel(model.toString(), 2);
             OrtEncoder ort = new OrtEncoder(MiniLmDerivedModels.miniLmOnnx(), MiniLmDerivedModels.miniLmTokenizer(), 256)) {
            assertEquals(new EmbeddingModelInfo(model.toString(), 384, 256, Pooling.MEAN, true), embeddings.info());
            float[][] expected = ort.embed(texts, false, true, 8);
            EmbeddingResult actual = embeddings.embed(texts, EmbedOptions.DEFAULT);
            double worst = 1;
            for (int i = 0; i < texts.size(); i++) {
                double cos = OrtEncoder.cosine(expected[i], actual.vectors()[i]);
                assertTrue(cos >= minCosine, dtype + " text " + i + " cosine " + cos);
                worst = Math.min(worst, cos);
            }
            System.out.printf("safetensors %s vs ONNX Runtime: min cosine %.8f%n", dtype, worst);
        }
    }
}
