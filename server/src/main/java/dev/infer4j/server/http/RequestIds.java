package dev.infer4j.server.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id, echoed in the {@code X-Request-Id} response header and written in the access log and
 * error logs: the client's own id when it sends a sane one, else a fresh random one.
 */
public final class RequestIds implements Handler {
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "infer4j.requestId";
    private static final String START_ATTRIBUTE = "infer4j.startNanos";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    public void handle(Context ctx) {
        ctx.attribute(START_ATTRIBUTE, System.nanoTime());
        String id = ctx.header(HEADER);
        if (id == null || !SANE.matcher(id).matches()) {
            id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        }
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    /** The id of a request; "-" when it failed before the id was assigned. */
    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id != null ? id : "-";
    }

    /** Seconds since the request arrived (0 when unknown). */
    public static double elapsedSeconds(Context ctx) {
        Long start = ctx.attribute(START_ATTRIBUTE);
        return start == null ? 0 : (System.nanoTime() - start) / 1e9;
    }
}
