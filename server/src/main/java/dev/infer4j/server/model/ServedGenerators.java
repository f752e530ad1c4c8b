package dev.infer4j.server.model;

import dev.infer4j.server.http.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The decoder models a server generates with, by id (the embedding models live in {@link ServedModels}). */
public final class ServedGenerators implements AutoCloseable {
    private final List<ServedGenerator> inOrder;
    private final Map<String, ServedGenerator> byId;

    public ServedGenerators(List<ServedGenerator> generators) {
        Map<String, ServedGenerator> map = new LinkedHashMap<>();
        for (ServedGenerator g : generators) {
            if (map.putIfAbsent(g.id(), g) != null) {
                throw new IllegalArgumentException("two generators have the id '" + g.id() + "'");
            }
        }
        this.inOrder = List.copyOf(generators);
        this.byId = Map.copyOf(map);
    }

    public static ServedGenerators none() {
        return new ServedGenerators(List.of());
    }

    public List<ServedGenerator> all() {
        return inOrder;
    }

    public boolean isEmpty() {
        return inOrder.isEmpty();
    }

    /** The generator a request names, or the only one when it names none; 404 for an unknown id. */
    public ServedGenerator get(String id) {
        if (id == null || id.isEmpty()) {
            if (inOrder.size() == 1) {
                return inOrder.getFirst();
            }
            if (inOrder.isEmpty()) {
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

    @Override
    public void close() {
        inOrder.forEach(ServedGenerator::close);
    }
}
