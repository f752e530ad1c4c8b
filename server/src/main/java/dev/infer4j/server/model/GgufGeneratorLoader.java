package dev.infer4j.server.model;

import dev.infer4j.engine.generate.ChatTemplate;
import dev.infer4j.engine.generate.Generator;
import dev.infer4j.engine.generate.GeneratorOptions;
import dev.infer4j.engine.schedule.GenerationScheduler;
import dev.infer4j.engine.schedule.GenerationSchedulerListener;
import dev.infer4j.engine.schedule.GenerationSchedulerOptions;
import dev.infer4j.kernels.Backends;
import dev.infer4j.models.gguf.GgufFile;
import dev.infer4j.models.llama.LlamaArchitecture;
import dev.infer4j.models.llama.LlamaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads Llama-family GGUF files as served generators: plans the KV cache against the budget, loads the model with
 * one KV slot per {@code --parallel} sequence, and starts its continuous-batching scheduler. The model's id is
 * the file name without {@code .gguf}.
 */
public final class GgufGeneratorLoader implements GeneratorLoader {
    private static final Logger LOG = LoggerFactory.getLogger(GgufGeneratorLoader.class);

    private final GeneratorSettings settings;
    private final Function<String, GenerationSchedulerListener> listeners;

    public GgufGeneratorLoader(GeneratorSettings settings, Function<String, GenerationSchedulerListener> listeners) {
        this.settings = settings;
        this.listeners = listeners;
        if (settings.chatTemplate() != null) {
            ChatTemplate.byName(settings.chatTemplate()); // fails early, naming the supported ones
        }
    }

    /** A GGUF file whose {@code general.architecture} is a Llama-family decoder. */
    @Override
    public boolean accepts(String nameOrPath) {
        if (!nameOrPath.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf")) {
            return false;
        }
        Path path = Path.of(nameOrPath);
        if (!Files.isRegularFile(path)) {
            return false; // let the loader below name the missing file
        }
        try (GgufFile file = GgufFile.open(path)) {
            Object arch = file.metadata().get("general.architecture");
            return arch instanceof String name && LlamaArchitecture.fromGgufName(name) != null;
        } catch (RuntimeException notGguf) {
            return false;
        }
    }

    @Override
    public ServedGenerator load(String nameOrPath, int threads) {
        Path path = Path.of(nameOrPath);
        KvCachePlan plan;
        try (GgufFile file = GgufFile.open(path)) {
            int vocab = (int) file.require("token_embd.weight").tensor().dim(0);
            plan = KvCachePlan.of(LlamaConfig.fromGguf(path, file.meta(), vocab), settings);
        }
        String id = id(path);
        int batch = Math.max(512, settings.parallel() + settings.prefillChunk());
        Generator generator = Generator.load(path, new GeneratorOptions(Backends.defaultName(), threads,
                plan.context(), settings.parallel(), batch));
        try {
            GenerationScheduler scheduler = new GenerationScheduler(generator, new GenerationSchedulerOptions(
                    settings.parallel(), settings.maxQueued(), settings.prefillChunk(), settings.requestTimeout()),
                    listeners.apply(id));
            ChatTemplate template = settings.chatTemplate() == null ? null : ChatTemplate.byName(settings.chatTemplate());
            LOG.info("generator {}: {} slots x {} positions, KV cache {} MiB ({} bytes per position)", id,
                    plan.slots(), plan.context(), plan.bytes() >> 20, plan.bytesPerPosition());
            return new ServedGenerator(id, generator, scheduler, template);
        } catch (RuntimeException | Error e) {
            generator.close();
            throw e;
        }
    }

    static String id(Path path) {
        String name = path.getFileName().toString();
        return name.substring(0, name.length() - ".gguf".length());
    }
}
