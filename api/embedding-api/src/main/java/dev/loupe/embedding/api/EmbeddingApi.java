package dev.loupe.embedding.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;
import java.util.UUID;

/**
 * The embedding service as other services call it (MicroProfile REST Client; base URL
 * {@code quarkus.rest-client.embedding-service.url}): what it knows of a project's styles and data quality, and the
 * hand-over of a trained model's predictions. An answer of 400 or more throws {@code WebApplicationException} with the
 * status; an unreachable service throws {@code ProcessingException}. Fault tolerance (active where the caller has
 * quarkus-smallrye-fault-tolerance): reads are retried with jitter when the service cannot be reached or is too
 * slow, never on an answer; a circuit breaker per method opens when half of 20 calls could not reach it.
 * Access: this interface serves nothing; it is a client. Who may call each operation is declared where it is served
 * (the service's resource, {@code Access.require...}) and checked by that service's {@code AuthorizationMatrixTest}.
 */
@RegisterRestClient(configKey = EmbeddingApi.CONFIG_KEY)
@Path("/api/projects/{projectId}")
@Timeout(60_000)
@Retry(maxRetries = 2, delay = 500, jitter = 250, retryOn = {ProcessingException.class, TimeoutException.class})
@CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000,
        failOn = {ProcessingException.class, TimeoutException.class})
public interface EmbeddingApi {

    String CONFIG_KEY = "embedding-service";

    /**
     * Style clusters within each class, one row per embedded item.
     * Access: viewer of the project, served by the embedding service's {@code EmbeddingResource}.
     */
    @GET
    @Path("/clusters")
    List<ClusterView> clusters(@PathParam("projectId") UUID projectId);

    /**
     * Findings of one type ({@code Finding.TYPE_...}, null for all), at most {@code limit} per type (null: 500).
     * Access: viewer of the project, served by the embedding service's {@code EmbeddingResource}.
     */
    @GET
    @Path("/findings")
    FindingsView findings(@PathParam("projectId") UUID projectId, @QueryParam("type") String type,
                          @QueryParam("limit") Integer limit);

    /**
     * A page of the review queue: open items first by expected benefit; {@code nextCursor} continues (null: the end).
     * Access: viewer of the project, served by the embedding service's {@code ReviewResource}.
     */
    @GET
    @Path("/review-queue")
    ReviewQueuePage reviewQueue(@PathParam("projectId") UUID projectId, @QueryParam("cursor") String cursor,
                                @QueryParam("limit") Integer limit);

    /**
     * Replaces the project's model predictions (400/422 naming the field when the set does not fit the project, 404
     * when it has no embedded items yet). Not retried here: the caller knows how long waiting for new items is worth.
     * Access: Loupe's own services only (a service credential), served by the embedding service's {@code ModelPredictionResource}.
     */
    @PUT
    @Path("/model-predictions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Timeout(120_000)
    @Retry(maxRetries = 0)
    void putModelPredictions(@PathParam("projectId") UUID projectId, PredictionSet predictions);
}
