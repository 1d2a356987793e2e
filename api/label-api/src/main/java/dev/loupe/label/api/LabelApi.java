package dev.loupe.label.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;
import java.util.UUID;

/**
 * The label service as other services call it (MicroProfile REST Client; base URL {@code quarkus.rest-client.label-service.url}).
 * An answer of 400 or more throws {@code WebApplicationException} with the status (404: no such project, item or
 * blob); an unreachable service throws {@code ProcessingException}. Fault tolerance (active where the caller has
 * quarkus-smallrye-fault-tolerance): reads are retried with jitter when the service cannot be reached or is too
 * slow, never on an answer; a circuit breaker per method opens when half of 20 calls could not reach it.
 * A caller changes a value with MicroProfile Fault Tolerance configuration, e.g.
 * {@code dev.loupe.label.api.LabelApi/blob/Timeout/value=60000}.
 * Access: this interface serves nothing; it is a client. Who may call each operation is declared where it is served
 * (the service's resource, {@code Access.require...}) and checked by that service's {@code AuthorizationMatrixTest}.
 */
@RegisterRestClient(configKey = LabelApi.CONFIG_KEY)
@Path("/api")
@Timeout(30_000)
@Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = {ProcessingException.class, TimeoutException.class})
@CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000,
        failOn = {ProcessingException.class, TimeoutException.class})
public interface LabelApi {

    String CONFIG_KEY = "label-service";
    /** The header naming who acts; a service sends its own name. */
    String ACTOR_HEADER = "Loupe-User";
    /** A repeated add with the same key returns the first item instead of adding another. */
    String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    /** Access: viewer of the project, served by the label service's {@code ProjectResource}. */
    @GET
    @Path("/projects/{id}")
    ProjectView project(@PathParam("id") UUID id);

    /** Access: viewer of the item's project, served by the label service's {@code ItemResource}. */
    @GET
    @Path("/items/{id}")
    ItemView item(@PathParam("id") UUID id);

    /**
     * A page (from 0) of a project's items that are not excluded; label, split and source filter when not null.
     * Access: viewer of the project, served by the label service's {@code ItemResource}.
     */
    @GET
    @Path("/projects/{projectId}/items")
    ItemList items(@PathParam("projectId") UUID projectId, @QueryParam("label") String label,
                   @QueryParam("split") String split, @QueryParam("source") String source,
                   @QueryParam("page") int page, @QueryParam("size") int size);

    /**
     * A page (from 0) of the project's items among {@code ids} (at most 1000, sent as a repeated parameter), in the
     * order of {@code ids}; ids of no item of this project are left out. {@code excluded}: false (when null), true or
     * any.
     * Access: viewer of the project, served by the label service's {@code ItemResource}.
     */
    @GET
    @Path("/projects/{projectId}/items")
    ItemList itemsById(@PathParam("projectId") UUID projectId, @QueryParam("ids") List<UUID> ids,
                       @QueryParam("excluded") String excluded, @QueryParam("page") int page, @QueryParam("size") int size);

    /**
     * Image bytes by their sha256 (immutable).
     * Access: viewer of a project holding the image, served by the label service's {@code ImageResource}.
     */
    @GET
    @Path("/blobs/{sha256}")
    @Produces(MediaType.WILDCARD)
    byte[] blob(@PathParam("sha256") String sha256);

    /**
     * Adds one image as an item (201, or 200 with the first item when the idempotency key was used before). Not
     * retried here: a lost answer may hide a created item, so only the caller, holding the key, may try again.
     * Access: curator of the project, served by the label service's {@code ItemResource}.
     */
    @POST
    @Path("/projects/{projectId}/items")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Timeout(60_000)
    @Retry(maxRetries = 0)
    ItemView add(@PathParam("projectId") UUID projectId, @HeaderParam(ACTOR_HEADER) String actor,
                 @HeaderParam(IDEMPOTENCY_KEY_HEADER) String idempotencyKey, @FormParam("image") byte[] image,
                 @FormParam("label") String label, @FormParam("source") String source,
                 @FormParam("provenance") String provenanceJson, @FormParam("originalPath") String originalPath);

    /** One label change of a bulk relabel: the item, the version the change is based on, the new label. */
    record LabelChange(UUID itemId, Long version, String label) {
    }

    /** A bulk relabel: applied all together or not at all. */
    record BulkRelabel(String reason, List<LabelChange> changes) {
    }

    /** The relabelled items with their new versions. */
    record BulkResult(List<ItemView> items) {
    }

    /**
     * Changes many labels at once in this service's name (a curation plan's accepted suggestions); 409/412 when an
     * item changed since its version. Not retried: If-Match versions make a repeat fail, never apply twice.
     * Access: annotator of the project, served by the label service's {@code ItemResource}.
     */
    @POST
    @Path("/projects/{projectId}/relabels")
    @Consumes(MediaType.APPLICATION_JSON)
    @Retry(maxRetries = 0)
    BulkResult relabelAll(@PathParam("projectId") UUID projectId, BulkRelabel request);

    /**
     * Excludes an item in this service's name; {@code ifMatch} is the version it is based on, as an ETag.
     * Access: annotator of the item's project, served by the label service's {@code ItemResource}.
     */
    @DELETE
    @Path("/items/{id}")
    @Retry(maxRetries = 0)
    ItemView exclude(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                     @QueryParam("reason") String reason);
}
