package dev.infer4j.server.api;

import io.javalin.router.JavalinDefaultRouting;

/** The routes of one area of the API. */
public interface RouteGroup {
    void addTo(JavalinDefaultRouting router);
}
