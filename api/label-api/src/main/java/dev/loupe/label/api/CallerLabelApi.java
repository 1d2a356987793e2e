package dev.loupe.label.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.UUID;

/**
 * Changes to items that another service makes in the signed-in user's name (a review decision, say): a client of
 * its own ({@code quarkus.rest-client.label-service-caller}), so it carries the user's token (the caller credential
 * filter of platform/security), never the service's; the label service checks the user's role and records the user.
 * Not retried: a change is applied at most once, and If-Match makes a lost answer safe to ask again by hand.
 * Access: this interface serves nothing; it is a client. Who may call each operation is declared where it is served
 * (the service's resource, {@code Access.require...}) and checked by that service's {@code AuthorizationMatrixTest}.
 */
@RegisterRestClient(configKey = CallerLabelApi.CONFIG_KEY)
@Path("/api")
@Timeout(30_000)
public interface CallerLabelApi {

    String CONFIG_KEY = "label-service-caller";

    /** A label change with its reason. */
    record LabelRequest(String label, String reason) {
    }

    /**
     * Changes the item's label; {@code ifMatch} is the version the change is based on, as an ETag.
     * Access: annotator of the item's project (the caller's own token), served by the label service's {@code ItemResource}.
     */
    @PUT
    @Path("/items/{id}/label")
    @Consumes(MediaType.APPLICATION_JSON)
    ItemView relabel(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, LabelRequest request);

    /**
     * Excludes the item (it stays in history and can be restored).
     * Access: annotator of the item's project (the caller's own token), served by the label service's {@code ItemResource}.
     */
    @DELETE
    @Path("/items/{id}")
    ItemView exclude(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                     @QueryParam("reason") String reason);
}
