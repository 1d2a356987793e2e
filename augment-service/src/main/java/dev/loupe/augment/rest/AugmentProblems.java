package dev.loupe.augment.rest;

import dev.loupe.augment.client.LabelServiceClient;
import dev.loupe.augment.image.InvalidOperationException;
import dev.loupe.augment.policy.ForbiddenOperationException;
import dev.loupe.augment.policy.InvalidPolicyException;
import dev.loupe.common.rest.FieldError;
import dev.loupe.common.rest.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.IOException;
import java.util.List;

/**
 * The augment core's own failures as problem+json: invalid operation parameters and policies are 422 naming the
 * parameter; a label or embedding service that cannot be reached is 503 (nothing was created).
 */
public class AugmentProblems {

    private static final Logger LOG = Logger.getLogger(AugmentProblems.class);

    @ServerExceptionMapper
    public Response invalidOperation(InvalidOperationException e, UriInfo uri) {
        return respond(422, "Invalid request", e.parameter() + ": " + e.reason(), uri, List.of(new FieldError(e.parameter(), e.reason())));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenOperationException e, UriInfo uri) {
        String field = "ops[" + e.step() + "]";
        return respond(422, "Invalid request", field + ": " + e.getMessage(), uri, List.of(new FieldError(field, e.getMessage())));
    }

    @ServerExceptionMapper
    public Response invalidPolicy(InvalidPolicyException e, UriInfo uri) {
        return respond(422, "Invalid request", e.field() + ": " + e.getMessage(), uri, List.of(new FieldError(e.field(), e.getMessage())));
    }

    @ServerExceptionMapper
    public Response refused(LabelServiceClient.RefusedException e, UriInfo uri) {
        LOG.warnf("%s: %s", uri.getPath(), e.getMessage());
        return respond(502, "Bad gateway", e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response unavailable(LabelServiceClient.UnavailableException e, UriInfo uri) {
        return respond(503, "Service unavailable", e.getMessage() + "; nothing was changed, try again", uri, List.of());
    }

    @ServerExceptionMapper
    public Response io(IOException e, UriInfo uri) {
        return respond(503, "Service unavailable", "a service Loupe depends on could not be reached: " + e.getMessage()
                + "; nothing was changed, try again", uri, List.of());
    }

    private static Response respond(int status, String title, String detail, UriInfo uri, List<FieldError> errors) {
        return Response.status(status).type("application/problem+json")
                .entity(new Problem(null, title, status, detail, uri.getPath(), errors)).build();
    }
}
