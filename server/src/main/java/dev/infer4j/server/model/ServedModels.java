package dev.infer4j.server.model;

import dev.infer4j.engine.embed.EmbeddingModel;
import dev.infer4j.engine.schedule.BatchLimits;
import dev.infer4j.engine.schedule.BatchListener;
import dev.infer4j.engine.schedule.EmbeddingBatcher;
import dev.infer4j.server.http.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a server holds and whether they are ready: they load in the background after the server starts
 * (so {@code /health} can answer 503 meanwhile), and requests find them here by id.
 */
public final class ServedModels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServedModels.class);

    /** Where the server is in its life; {@code /health} reports it. */
    public enum State { LOADING, READY, FAILED, DRAINING, CLOSED }

    private final List<String> requested;
    private volatile State state = State.LOADING;
    private volatile String failure;
    // written once by the loading thread before state becomes READY (a volatile write), read after
    private volatile Map<String, ServedEmbeddingModel> byId = Map.of();
    private volatile List<ServedEmbeddingModel> inOrder = List.of();

    /** @param requested the embedding models to load (may be empty on a server that only generates) */
    public ServedModels(List<String> requested) {
        this.requested = List.copyOf(requested);
    }

    /** Serves models loaded by the caller (tests, a server embedded in an application); ready at once. */
    public static ServedModels of(List<EmbeddingModel> models, BatchLimits limits,
            Function<String, BatchListener> listeners) {
        List<ServedEmbeddingModel> served = new ArrayList<>();
        for (EmbeddingModel m : models) {
            String id = m.info().name();
            served.add(new ServedEmbeddingModel(id, m, new EmbeddingBatcher(m, limits, listeners.apply(id))));
        }
        ServedModels result = new ServedModels(served.stream().map(ServedEmbeddingModel::id).toList());
        result.publish(served);
        return result;
    }

    /**
     * Loads every requested model on a background thread; the future completes when all are ready, or
     * exceptionally with the first failure (the state is then {@link State#FAILED}).
     */
    public CompletableFuture<Void> loadInBackground(ModelLoader loader, int threads, BatchLimits limits,
            Function<String, BatchListener> listeners) {
        return loadInBackground(loader, GeneratorLoader.NONE, ServedGenerators.none(), threads, limits, listeners);
    }

    /**
     * Loads every requested model on a background thread: those {@code generatorLoader} accepts as text
     * generators (published into {@code generators}), the others as embedding models. The server becomes
     * {@link State#READY} when all are loaded; the future completes then, or exceptionally with the first failure
     * (the state is then {@link State#FAILED} and nothing is served).
     */
    public CompletableFuture<Void> loadInBackground(ModelLoader loader, GeneratorLoader generatorLoader,
            ServedGenerators generators, int threads, BatchLimits limits, Function<String, BatchListener> listeners) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().name("infer4j-model-loader").start(() -> {
            List<ServedEmbeddingModel> loaded = new ArrayList<>();
            List<ServedGenerator> loadedGenerators = new ArrayList<>();
            try {
                for (String nameOrPath : requested) {
                    long start = System.nanoTime();
                    LOG.info("loading model {}", nameOrPath);
                    if (generatorLoader.accepts(nameOrPath)) {
                        ServedGenerator g = generatorLoader.load(nameOrPath, threads);
                        loadedGenerators.add(g);
                        LOG.info("model {} loaded in {} ms: text generation, {} positions per sequence, {} sequences",
                                g.id(), (System.nanoTime() - start) / 1_000_000, g.generator().contextLength(),
                                g.scheduler().parallel());
                        continue;
                    }
                    EmbeddingModel model = loader.load(nameOrPath, threads);
                    String id = model.info().name();
                    loaded.add(new ServedEmbeddingModel(id, model, new EmbeddingBatcher(model, limits,
                            listeners.apply(id))));
                    LOG.info("model {} loaded in {} ms: {} dimensions, at most {} tokens, {} pooling", id,
                            (System.nanoTime() - start) / 1_000_000, model.info().dimensions(),
                            model.info().maxTokens(), model.info().pooling().name().toLowerCase());
                }
                generators.publish(loadedGenerators);
                loadedGenerators.clear(); // owned by the served set now
                publish(loaded);
                if (state == State.READY) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(new IllegalStateException("the server shut down while loading"));
                }
            } catch (Throwable e) {
                loaded.forEach(ServedEmbeddingModel::close);
                loadedGenerators.forEach(ServedGenerator::close);
                failure = e.getMessage() != null ? e.getMessage() : e.toString();
                state = State.FAILED;
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private synchronized void publish(List<ServedEmbeddingModel> models) {
        if (state != State.LOADING) { // shut down while loading: nobody will serve these
            models.forEach(ServedEmbeddingModel::close);
            return;
        }
        Map<String, ServedEmbeddingModel> map = new LinkedHashMap<>();
        for (ServedEmbeddingModel m : models) {
            if (map.putIfAbsent(m.id(), m) != null) {
                throw new IllegalArgumentException("two models have the id '" + m.id() + "'");
            }
        }
        inOrder = List.copyOf(models);
        byId = Map.copyOf(map);
        state = State.READY;
    }

    public State state() {
        return state;
    }

    /** Why loading failed, or null. */
    public String failure() {
        return failure;
    }

    /** The loaded models in {@code --model} order (empty while loading). */
    public List<ServedEmbeddingModel> embeddingModels() {
        return inOrder;
    }

    /**
     * The embedding model a request names, or the only one when the request names none.
     *
     * @throws ApiException 404 for an unknown id, 400 when the name is missing and several models are served,
     *                      503 while loading or shutting down
     */
    public ServedEmbeddingModel embeddingModel(String id) {
        requireServing();
        if (id == null || id.isEmpty()) {
            if (inOrder.size() == 1) {
                return inOrder.getFirst();
            }
            throw ApiException.badRequest("model", "'model' is required: this server holds " + byId.keySet());
        }
        ServedEmbeddingModel m = byId.get(id);
        if (m == null) {
            throw ApiException.modelNotFound(id);
        }
        return m;
    }

    /** Throws the 503 that a request gets while the server is not ready to serve. */
    public void requireServing() {
        switch (state) {
            case READY -> {
            }
            case LOADING -> throw ApiException.unavailable("model_loading", "the model " + requested
                    + " is still loading; retry shortly");
            case FAILED -> throw ApiException.unavailable("model_failed", "the model failed to load: " + failure);
            case DRAINING, CLOSED -> throw ApiException.unavailable("shutting_down", "the server is shutting down");
        }
    }

    /**
     * Stops taking requests and lets those queued or running finish, within {@code grace} overall.
     *
     * @return whether everything finished in time
     */
    public boolean drain(Duration grace) throws InterruptedException {
        if (state == State.READY) {
            state = State.DRAINING;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        boolean drained = true;
        for (ServedEmbeddingModel m : inOrder) {
            drained &= m.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return drained;
    }

    @Override
    public synchronized void close() {
        state = State.CLOSED;
        for (ServedEmbeddingModel m : inOrder) {
            m.close();
        }
    }
}
