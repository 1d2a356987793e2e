package dev.loupe.common.rest;

import dev.loupe.common.util.Causes;
import jakarta.ws.rs.WebApplicationException;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a typed REST client's failure means: the status another service answered with, or none when it gave no
 * answer (unreachable, too slow, circuit open: {@code ProcessingException} or a fault-tolerance exception).
 */
public final class Remote {

    private static final int MAX_DETAIL = 300;

    private Remote() {
    }

    /**
     * Calls another service through its typed client; any failure becomes an IOException saying what was called and
     * what went wrong (see {@link #describe}).
     */
    public static <T> T call(String call, Supplier<T> request) throws IOException {
        try {
            return request.get();
        } catch (RuntimeException e) {
            throw new IOException(describe(call, e), e);
        }
    }

    /** Like {@link #call}, but an answer of 404 is empty (no such thing), not a failure. */
    public static <T> Optional<T> find(String call, Supplier<T> request) throws IOException {
        try {
            return Optional.of(request.get());
        } catch (RuntimeException e) {
            if (status(e) == 404) {
                return Optional.empty();
            }
            throw new IOException(describe(call, e), e);
        }
    }

    /** The HTTP status of the answer, or 0 when there was none. */
    public static int status(RuntimeException e) {
        return e instanceof WebApplicationException w && w.getResponse() != null ? w.getResponse().getStatus() : 0;
    }

    /** E.g. "GET /api/blobs/ab12 answered 503: {detail}" or "GET /api/blobs/ab12 failed: Connection refused". */
    public static String describe(String call, RuntimeException e) {
        int status = status(e);
        if (status == 0) {
            return call + " failed: " + Causes.rootMessage(e);
        }
        String body = body((WebApplicationException) e);
        return call + " answered " + status + (body.isEmpty() ? "" : ": " + body);
    }

    private static String body(WebApplicationException e) {
        try {
            String text = e.getResponse().hasEntity() ? e.getResponse().readEntity(String.class) : "";
            return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
        } catch (RuntimeException unreadable) {
            return "";
        }
    }
}
