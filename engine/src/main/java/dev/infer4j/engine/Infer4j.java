package dev.infer4j.engine;

import dev.infer4j.engine.classify.EncoderTextClassifier;
import dev.infer4j.engine.classify.TextClassifier;
import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.engine.embed.EncoderEmbeddingModel;
import dev.infer4j.engine.generate.Generator;
import dev.infer4j.engine.generate.GeneratorOptions;
import dev.infer4j.engine.encoder.EncoderRunner;
import dev.infer4j.engine.rerank.CrossEncoderReranker;
import dev.infer4j.engine.rerank.Reranker;
import dev.infer4j.kernels.Backend;
import dev.infer4j.kernels.Backends;
import dev.infer4j.models.registry.EncoderModelFiles;
import dev.infer4j.models.registry.ModelRegistry;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Entry point of the Java API.
 *
 * <pre>{@code
 * try (var model = Infer4j.embeddingModel("all-minilm-l6-v2")) {
 *     float[][] vectors = model.embed(List.of("Hello, world"), EmbedOptions.DEFAULT).vectors();
 * }
 * }</pre>
 *
 * Models are named by a built-in name ({@code all-minilm-l6-v2}, {@code bge-small-en-v1.5}) or a path
 * (a Hugging Face model directory, or its {@code .safetensors}/{@code .onnx} file). They run on the CPU
 * backend with one thread per core unless a thread count is given.
 *
 * <p>Text generation takes a GGUF decoder model (Llama family: Llama 2/3, Mistral, Qwen2, Phi-3):
 * <pre>{@code
 * try (Generator g = Infer4j.generator(Path.of("model.gguf"))) {
 *     g.generate("Once upon a time", GenerationOptions.greedy(64), System.out::print);
 * }
 * }</pre>
 */
public final class Infer4j {
    /**
     * Tokens per encoder forward pass: enough rows for the GEMM kernels to run at full speed, few enough
     * that the activations stay around 14 MB for a 384-wide model.
     */
    static final int ENCODER_BATCH_TOKENS = 1024;

    private Infer4j() {
    }

    /** The default embedding model ({@code all-minilm-l6-v2}). */
    public static EmbeddingModel embeddingModel() {
        return embeddingModel(dev.infer4j.models.registry.BuiltInModel.DEFAULT.id());
    }

    /** An embedding model by built-in name or path, on the CPU with every core. */
    public static EmbeddingModel embeddingModel(String nameOrPath) {
        return embeddingModel(nameOrPath, Runtime.getRuntime().availableProcessors());
    }

    /** An embedding model by built-in name or path, on the CPU with {@code threads} threads. */
    public static EmbeddingModel embeddingModel(String nameOrPath, int threads) {
        return encoder(nameOrPath, threads, EncoderEmbeddingModel::new);
    }

    /** A sequence classifier from a model directory (or file) whose config has {@code id2label}. */
    public static TextClassifier classifier(String path) {
        return classifier(path, Runtime.getRuntime().availableProcessors());
    }

    public static TextClassifier classifier(String path, int threads) {
        return encoder(path, threads, EncoderTextClassifier::new);
    }

    /** A cross-encoder reranker from a model directory (or file) with a single-logit classification head. */
    public static Reranker reranker(String path) {
        return reranker(path, Runtime.getRuntime().availableProcessors());
    }

    public static Reranker reranker(String path, int threads) {
        return encoder(path, threads, CrossEncoderReranker::new);
    }

    private static <T> T encoder(String nameOrPath, int threads, Function<EncoderRunner, T> pipeline) {
        EncoderModelFiles files = ModelRegistry.userDefault().openEncoder(nameOrPath);
        Backend backend = null;
        EncoderRunner runner = null;
        try {
            backend = Backends.create(Backends.defaultName(), threads);
            runner = new EncoderRunner(backend, true, files, Math.max(ENCODER_BATCH_TOKENS, files.maxTokens()));
            return pipeline.apply(runner);
        } catch (RuntimeException | Error e) {
            if (runner != null) {
                runner.close();
            } else {
                files.close();
                if (backend != null) {
                    backend.close();
                }
            }
            throw e;
        }
    }

    /** A text generator for a GGUF decoder model, on the CPU with every core, one session, the model's context (at most 4096). */
    public static Generator generator(Path gguf) {
        return Generator.load(gguf, GeneratorOptions.defaults());
    }

    /** A text generator for a GGUF decoder model with the given backend, threads, context, sessions and batch size. */
    public static Generator generator(Path gguf, GeneratorOptions options) {
        return Generator.load(gguf, options);
    }
}
