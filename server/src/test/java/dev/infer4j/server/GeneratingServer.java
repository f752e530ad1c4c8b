package dev.infer4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infer4j.engine.generate.ChatTemplate;
import dev.infer4j.engine.generate.Generator;
import dev.infer4j.engine.generate.GeneratorOptions;
import dev.infer4j.engine.schedule.GenerationScheduler;
import dev.infer4j.engine.schedule.GenerationSchedulerOptions;
import dev.infer4j.server.metrics.GenerationMetrics;
import dev.infer4j.server.metrics.ServerMetrics;
import dev.infer4j.server.model.ServedGenerator;
import dev.infer4j.server.model.ServedGenerators;
import dev.infer4j.server.model.ServedModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** A real server on a loopback port generating with stories260K (../shared/models), and its llama.cpp references. */
final class GeneratingServer {
    static final Path MODEL_DIR = Path.of(System.getProperty("infer4j.shared.dir", "../shared"), "models", "stories260K");
    static final String ID = "stories260K";

    private GeneratingServer() {
    }

    static Path model() {
        Path model = MODEL_DIR.resolve("stories260K.gguf");
        if (!Files.isRegularFile(model)) {
            throw new AssertionError("missing test model " + model + " (see ../shared/models/README.md)");
        }
        return model;
    }

    /** llama.cpp's greedy 32 tokens after "Once upon a time", with full logits per step. */
    static JsonNode onceUponATimeReference() {
        Path ref = MODEL_DIR.resolve("reference/stories260K.once-upon-a-time.json");
        if (!Files.isRegularFile(ref)) {
            throw new AssertionError("missing reference " + ref);
        }
        try {
            return Http.JSON.readTree(ref.toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + ref, e);
        }
    }

    static TestServer start(int parallel, int maxQueued, int context) {
        return start(parallel, maxQueued, context, Duration.ofMinutes(1), null, c -> c);
    }

    /**
     * @param template chat template to use instead of the model's (which has none); null: the model's
     */
    static TestServer start(int parallel, int maxQueued, int context, Duration requestTimeout, ChatTemplate template,
                            UnaryOperator<ServerConfig> tweak) {
        Generator generator = Generator.load(model(), GeneratorOptions.defaults().withThreads(1).withSessions(parallel)
                .withContextLength(context).withBatchSize(64));
        ServerMetrics metrics = new ServerMetrics();
        GenerationMetrics generation = new GenerationMetrics(metrics.registry());
        GenerationScheduler scheduler = new GenerationScheduler(generator,
                new GenerationSchedulerOptions(parallel, maxQueued, 32, requestTimeout), generation.listener(ID));
        ServedGenerators generators = new ServedGenerators(List.of(new ServedGenerator(ID, generator, scheduler,
                template)));
        GenerationMetrics.watch(metrics.registry(), generators);
        ServerConfig config = tweak.apply(TestServer.config());
        ServedModels none = ServedModels.of(List.of(), config.batchLimits(), metrics::embeddingBatches);
        InferenceServer s = new InferenceServer(config, none, generators, metrics).start();
        return new TestServer(s, new Http(s.url()));
    }
}
