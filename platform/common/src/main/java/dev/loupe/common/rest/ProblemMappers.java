package dev.loupe.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.core.JsonParseException;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import dev.loupe.common.util.TransientFailures;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.stream.Collectors;

/** Turns every failure into problem+json; a 500 is only for bugs and is logged with its stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** What a 503 for an unavailable database tells clients to wait before they retry. */
    static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(new Problem(null, e.title(), e.status(), e.getMessage(), path(uri), e.errors()));
    }

    @ServerExceptionMapper(priority = 1)
    public Response malformedJson(JsonParseException e, UriInfo uri) {
        return respond(new Problem(null, "Malformed JSON", 400,
                "the body is not valid JSON: " + e.getOriginalMessage(), path(uri), List.of(new FieldError("body", e.getOriginalMessage()))));
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return jsonMapping(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        String field = fieldPath(e);
        String message = e.getOriginalMessage();
        if (message != null && message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        return respond(new Problem(null, "Malformed JSON", 400, field + ": " + message, path(uri),
                List.of(new FieldError(field, message))));
    }

    @ServerExceptionMapper(priority = 2)
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(new Problem(null, "Malformed JSON", 400, e.getOriginalMessage(), path(uri),
                List.of(new FieldError("body", e.getOriginalMessage()))));
    }

    @ServerExceptionMapper
    public Response optimisticLock(OptimisticLockException e, UriInfo uri) {
        return concurrentChange(uri);
    }

    @ServerExceptionMapper
    public Response staleState(StaleStateException e, UriInfo uri) {
        return concurrentChange(uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        // the JSON body reader reports unparseable bodies as a 400 wrapping Jackson's exception
        if (e.getCause() instanceof JsonMappingException mapping) {
            return jsonMapping(mapping, uri);
        }
        if (e.getCause() instanceof JsonProcessingException parse) {
            return json(parse, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "Request %s failed", path(uri));
        }
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return respond(new Problem(null, title, status, e.getMessage(), path(uri), List.of()));
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (isStreamedBodyTooLarge(e)) {
            // Quarkus has answered 413 already when a streamed body passed the endpoint's limit (HttpHardening)
            return respond(new Problem(null, "Payload Too Large", 413,
                    "the request body is larger than this endpoint accepts", path(uri), List.of()));
        }
        if (TransientFailures.isTransient(e)) {
            // the database is down or restarting: nothing was changed, the same request will work again soon
            LOG.warnf("%s: database unavailable, answered 503: %s", path(uri), e.getMessage());
            Problem unavailable = new Problem(null, "Service Unavailable", 503,
                    "the database is unavailable for the moment; nothing was changed, retry in a few seconds",
                    path(uri), List.of());
            return Response.fromResponse(respond(unavailable)).header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        LOG.errorf(e, "Unexpected failure of %s", path(uri));
        return respond(new Problem(null, "Internal error", 500,
                "an unexpected error occurred; it is logged on the server", path(uri), List.of()));
    }

    private static boolean isStreamedBodyTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException && "Request too large".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private Response concurrentChange(UriInfo uri) {
        return respond(new Problem(null, "Precondition failed", 412,
                "the resource was changed concurrently; reload it and retry", path(uri),
                List.of(new FieldError("If-Match", "stale version"))));
    }

    private static String fieldPath(JsonMappingException e) {
        if (e.getPath() == null || e.getPath().isEmpty()) {
            return "body";
        }
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }

    /** A stable type URI per kind of problem, derived from its title: e.g. urn:loupe:problem:invalid-request. */
    private static String typeOf(String title) {
        String slug = title == null ? "error" : title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return "urn:loupe:problem:" + slug;
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    private static Response respond(Problem problem) {
        Problem typed = new Problem(typeOf(problem.title()), problem.title(), problem.status(), problem.detail(),
                problem.instance(), problem.errors());
        return Response.status(typed.status()).type(Problem.MEDIA_TYPE).entity(typed).build();
    }
}
