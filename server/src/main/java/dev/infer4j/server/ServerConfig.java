package dev.infer4j.server;

import dev.infer4j.engine.schedule.BatchLimits;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a server listens and what it allows.
 *
 * @param host           interface to bind (loopback by default)
 * @param port           TCP port; 0 picks a free one
 * @param maxBodyBytes   largest request body; beyond it 413
 * @param batchLimits    dynamic batching and queue bounds of each embedding model
 * @param requestTimeout longest a request may wait for its model call; beyond it 503
 * @param shutdownGrace  how long a shutdown waits for queued and running requests
 * @param apiKeys        keys of which one is required on every route but {@code /health}; empty: open server
 * @param corsOrigins    origins browsers may call from ({@code *}: any); empty: CORS off
 * @param accessLog      whether to log one line per request
 */
public record ServerConfig(String host, int port, long maxBodyBytes, BatchLimits batchLimits,
        Duration requestTimeout, Duration shutdownGrace, List<String> apiKeys, List<String> corsOrigins,
        boolean accessLog) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 2L * 1024 * 1024;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(batchLimits, "batchLimits");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("the body size limit must be positive, got " + maxBodyBytes);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, got " + requestTimeout);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("the shutdown grace period must not be negative");
        }
        apiKeys = List.copyOf(apiKeys);
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** Loopback, port 8080, 2 MiB bodies, default batching, no API keys, no CORS. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, BatchLimits.DEFAULT,
                Duration.ofMinutes(10), Duration.ofSeconds(30), List.of(), List.of(), true);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, maxBodyBytes, batchLimits, requestTimeout, shutdownGrace, apiKeys,
                corsOrigins, accessLog);
    }
}
