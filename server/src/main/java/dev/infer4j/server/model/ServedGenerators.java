package dev.infer4j.server.model;

import dev.infer4j.server.http.ApiException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoder models a server generates with, by id (the embedding models live in {@link ServedModels}). Either
 * known when the server is built (tests, an embedding application) or published once by the background loader.
 */
public final class ServedGenerators implements AutoCloseable {
    // replaced once by publish() before the server's state becomes READY (a volatile write), read after
    private volatile List<ServedGenerator> inOrder = List.of();
    private volatile Map<String, ServedGenerator> byId = Map.of();
    private boolean closed;

    public ServedGenerators(List<ServedGenerator> generators) {
        publish(generators);
    }

    /** An empty set, to be filled by {@link #publish} when the models have loaded. */
    public static ServedGenerators none() {
        return new ServedGenerators(List.of());
    }

    /** Makes loaded generators servable; closes them instead when this set was closed meanwhile. */
    public synchronized void publish(List<ServedGenerator> generators) {
        if (closed) {
            generators.forEach(ServedGenerator::close);
            return;
        }
        Map<String, ServedGenerator> map = new LinkedHashMap<>();
        for (ServedGenerator g : inOrder) {
            map.put(g.id(), g);
        }
        for (ServedGenerator g : generators) {
            if (map.putIfAbsent(g.id(), g) != null) {
                throw new IllegalArgumentException("two generators have the id '" + g.id() + "'");
            }
        }
        inOrder = List.copyOf(map.values());
        byId = Map.copyOf(map);
    }

    public List<ServedGenerator> all() {
        return inOrder;
    }

    public boolean isEmpty() {
        return inOrder.isEmpty();
    }

    /** Whether {@code id} names one of these generators. */
    public boolean contains(String id) {
        return id != null && byId.containsKey(id);
    }

    /** The generator a request names, or the only one when it names none; 404 for an unknown id. */
    public ServedGenerator get(String id) {
        List<ServedGenerator> all = inOrder;
        if (id == null || id.isEmpty()) {
            if (all.size() == 1) {
                return all.getFirst();
            }
            if (all.isEmpty()) {
                throw ApiException.notFound("this server holds no text generation model");
            }
            throw ApiException.badRequest("model", "'model' is required: this server holds " + byId.keySet());
        }
        ServedGenerator g = byId.get(id);
        if (g == null) {
            throw ApiException.modelNotFound(id);
        }
        return g;
    }

    /**
     * Waits until every generator has finished what it holds (queued and running), up to {@code grace} overall.
     * The caller stops new requests first.
     *
     * @return whether everything finished in time
     */
    public boolean drain(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        for (ServedGenerator g : inOrder) {
            while (g.scheduler().inFlight() > 0) {
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                Thread.sleep(5);
            }
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        inOrder.forEach(ServedGenerator::close);
    }
}
