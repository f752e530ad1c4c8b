package dev.infer4j.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads request bodies up to the configured limit; a longer body is a 413, declared or not. */
public final class BodyReader {
    private final long limit;

    public BodyReader(long limit) {
        if (limit <= 0 || limit > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("body size limit must be from 1 byte to 2 GB, got " + limit);
        }
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    public byte[] read(Context ctx) {
        if (ctx.req().getContentLengthLong() > limit) {
            throw ApiException.bodyTooLarge(limit);
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] body = in.readNBytes((int) limit + 1); // grows as data arrives; a chunked body stops one past
            if (body.length > limit) {
                throw ApiException.bodyTooLarge(limit);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }
}
