package dev.infer4j.models.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.DType;
import dev.infer4j.kernels.Tensor;
import dev.infer4j.kernels.Weight;
import dev.infer4j.kernels.WeightLayout;
import dev.infer4j.models.safetensors.SafetensorsFile;
import dev.infer4j.models.testing.SafetensorsWriter;
import dev.infer4j.models.weights.ModelFormatException;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading checks presence and shape of every BERT parameter against the configuration. */
class BertWeightsTest {
    @TempDir
    Path dir;

    private static final BertConfig TINY = new BertConfig(10, 4, 1, 2, 8, 16, 2, 1e-12f, BertConfig.Activation.GELU, List.of(), false);

    /** Loading only prepares weights; every other backend call would be a bug here. */
    private static Backend preparingBackend() {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (p, m, a) -> {
            if (m.getName().equals("prepareWeight")) {
                Tensor t = (Tensor) a[0];
                WeightLayout layout = (WeightLayout) a[1];
                long out = layout == WeightLayout.OUT_IN ? t.dim(0) : t.dim(1);
                long in = layout == WeightLayout.OUT_IN ? t.dim(1) : t.dim(0);
                return new Weight() {
                    public DType dtype() {
                        return t.dtype();
                    }

                    public long outFeatures() {
                        return out;
                    }

                    public long inFeatures() {
                        return in;
                    }
                };
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    /** Every parameter of {@link #TINY}, with {@code prefix} on the encoder names; F16 where {@code half}. */
    private static SafetensorsWriter tinyModel(String prefix, boolean half) {
        return tinyModel(prefix, half, null);
    }

    /** As above, leaving out the parameter {@code skip}. */
    private static SafetensorsWriter tinyModel(String prefix, boolean half, String skip) {
        SafetensorsWriter w = new SafetensorsWriter() {
            @Override
            public SafetensorsWriter add(String name, String dtype, long[] shape, byte[] data) {
                return name.equals(skip) ? this : super.add(name, dtype, shape, data);
            }
        };
        add(w, prefix + BertParameters.WORD_EMBEDDINGS, half, 10, 4);
        add(w, prefix + BertParameters.POSITION_EMBEDDINGS, half, 16, 4);
        add(w, prefix + BertParameters.TOKEN_TYPE_EMBEDDINGS, half, 2, 4);
        add(w, prefix + BertParameters.EMBEDDINGS_NORM_WEIGHT, half, 4);
        add(w, prefix + BertParameters.EMBEDDINGS_NORM_BIAS, half, 4);
        for (String p : new String[] {BertParameters.QUERY_WEIGHT, BertParameters.KEY_WEIGHT, BertParameters.VALUE_WEIGHT,
                BertParameters.ATTENTION_OUT_WEIGHT}) {
            add(w, prefix + BertParameters.layer(0, p), half, 4, 4);
        }
        for (String p : new String[] {BertParameters.QUERY_BIAS, BertParameters.KEY_BIAS, BertParameters.VALUE_BIAS,
                BertParameters.ATTENTION_OUT_BIAS, BertParameters.ATTENTION_NORM_WEIGHT, BertParameters.ATTENTION_NORM_BIAS,
                BertParameters.OUTPUT_BIAS, BertParameters.OUTPUT_NORM_WEIGHT, BertParameters.OUTPUT_NORM_BIAS}) {
            add(w, prefix + BertParameters.layer(0, p), half, 4);
        }
        add(w, prefix + BertParameters.layer(0, BertParameters.INTERMEDIATE_WEIGHT), half, 8, 4);
        add(w, prefix + BertParameters.layer(0, BertParameters.INTERMEDIATE_BIAS), half, 8);
        add(w, prefix + BertParameters.layer(0, BertParameters.OUTPUT_WEIGHT), half, 4, 8);
        return w;
    }

    private static void add(SafetensorsWriter w, String name, boolean half, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = 0.25f * (i % 7) - 0.5f;
        }
        if (half) {
            byte[] b = new byte[n * 2];
            for (int i = 0; i < n; i++) {
                short h = Float.floatToFloat16(values[i]);
                b[2 * i] = (byte) h;
                b[2 * i + 1] = (byte) (h >> 8);
            }
            w.add(name, "F16", shape, b);
        } else {
            w.addFloats(name, shape, values);
        }
    }

    private Path write(SafetensorsWriter w) throws IOException {
        Path p = dir.resolve("model-" + System.nanoTime() + ".safetensors");
        w.write(p);
        return p;
    }

    @Test
    void loadsEveryParameterWithOrWithoutTheTaskPrefix() throws IOException {
        for (String prefix : new String[] {"", "bert."}) {
            try (SafetensorsFile f = SafetensorsFile.open(write(tinyModel(prefix, false)));
                 BertWeights w = BertWeights.load(f, TINY, preparingBackend())) {
                assertEquals(1, w.layers().size());
                assertEquals(8, w.layers().get(0).intermediate().outFeatures());
                assertEquals(4, w.layers().get(0).output().outFeatures());
                assertNull(w.classifierHead());
            }
        }
    }

    @Test
    void halfPrecisionVectorsBecomeAlignedFloats() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(write(tinyModel("", true)));
             BertWeights w = BertWeights.load(f, TINY, preparingBackend())) {
            Tensor bias = w.layers().get(0).intermediateBias();
            assertEquals(DType.F32, bias.dtype());
            assertEquals(0, bias.segment().address() % Tensor.ALIGNMENT);
            for (int i = 0; i < 8; i++) {
                assertEquals(0.25f * (i % 7) - 0.5f, bias.segment().getAtIndex(ValueLayout.JAVA_FLOAT, i));
            }
            assertEquals(DType.F16, w.wordEmbeddings().dtype(), "tables stay in the file");
        }
    }

    @Test
    void aMissingParameterNamesFileAndTensor() throws IOException {
        String missing = BertParameters.layer(0, BertParameters.OUTPUT_NORM_BIAS);
        Path p = write(tinyModel("", false, missing));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> BertWeights.load(f, TINY, preparingBackend()));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains(missing) && e.getMessage().contains("missing"),
                    e.getMessage());
        }
    }

    @Test
    void aShapeThatDisagreesWithTheConfigurationNamesTheTensor() throws IOException {
        BertConfig wider = new BertConfig(10, 4, 1, 2, 16, 16, 2, 1e-12f, BertConfig.Activation.GELU, List.of(), false);
        Path p = write(tinyModel("", false));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> BertWeights.load(f, wider, preparingBackend()));
            assertTrue(e.getMessage().contains(p.toString())
                    && e.getMessage().contains(BertParameters.layer(0, BertParameters.INTERMEDIATE_WEIGHT))
                    && e.getMessage().contains("[8, 4]") && e.getMessage().contains("[16, 4]"), e.getMessage());
        }
    }

    @Test
    void aClassifierConfigurationNeedsTheHead() throws IOException {
        BertConfig classifier = new BertConfig(10, 4, 1, 2, 8, 16, 2, 1e-12f, BertConfig.Activation.GELU,
                List.of("no", "yes"), false);
        try (SafetensorsFile f = SafetensorsFile.open(write(tinyModel("bert.", false)))) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> BertWeights.load(f, classifier, preparingBackend()));
            assertTrue(e.getMessage().contains(BertParameters.POOLER_WEIGHT), e.getMessage());
        }
        SafetensorsWriter withHead = tinyModel("bert.", false);
        add(withHead, "bert." + BertParameters.POOLER_WEIGHT, false, 4, 4);
        add(withHead, "bert." + BertParameters.POOLER_BIAS, false, 4);
        add(withHead, BertParameters.CLASSIFIER_WEIGHT, false, 2, 4);
        add(withHead, BertParameters.CLASSIFIER_BIAS, false, 2);
        try (SafetensorsFile f = SafetensorsFile.open(write(withHead));
             BertWeights w = BertWeights.load(f, classifier, preparingBackend())) {
            assertEquals(2, w.classifierHead().classifier().outFeatures());
        }
    }
}
