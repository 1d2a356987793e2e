package dev.loupe.augment.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The augment service as others call it (MicroProfile REST Client; base URL
 * {@code quarkus.rest-client.augment-service.url}; today the dataset service's curation plans, with that service's own
 * credential). Only the fields callers read are
 * declared; the rest of each answer is ignored. Reads are retried when the service cannot be reached; job starts are
 * not retried here (the plan sends an Idempotency-Key, so the caller may ask again safely).
 * Access: this interface serves nothing; it is a client. Who may call each operation is declared where it is served
 * (the augment service's resources) and checked by that service's {@code AuthorizationMatrixTest}.
 */
@RegisterRestClient(configKey = AugmentApi.CONFIG_KEY)
@Path("/api")
@Timeout(60_000)
@Retry(maxRetries = 2, delay = 500, jitter = 250, retryOn = {ProcessingException.class, TimeoutException.class})
@CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000,
        failOn = {ProcessingException.class, TimeoutException.class})
public interface AugmentApi {

    String CONFIG_KEY = "augment-service";

    /** The suggestions: class counts, small style clusters, confused pairs, each suggestion with a ready body. */
    record Suggestions(UUID projectId, List<SmallCluster> smallStyleClusters, List<Suggestion> suggestions,
                       String embeddings) {
    }

    /** A style cluster of a class with few items. */
    record SmallCluster(String label, int cluster, int size, int classSize, List<UUID> itemIds) {
    }

    /** {@code kind} "augment" or "recipe"; {@code request} is a body for {@code path}. */
    record Suggestion(String kind, String label, String reason, int newImages, String path, Map<String, Object> request) {
    }

    /** A job's progress. */
    record Job(UUID jobId, String kind, String status, int total, int done, int failed, List<UUID> createdItemIds) {

        public boolean finished() {
            return "COMPLETED".equals(status) || "FAILED".equals(status);
        }
    }

    /** Access: viewer of the project, served by the augment service's {@code SuggestionResource}. */
    @GET
    @Path("/projects/{projectId}/augment-suggestions")
    Suggestions suggestions(@PathParam("projectId") UUID projectId);

    /** Access: curator of the project, served by the augment service's {@code AugmentationResource}. */
    @POST
    @Path("/projects/{projectId}/augmentations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Retry(maxRetries = 0)
    Job augment(@PathParam("projectId") UUID projectId, @HeaderParam("Idempotency-Key") String key,
                Map<String, Object> request);

    /** Access: curator of the project, served by the augment service's {@code AugmentationResource}. */
    @POST
    @Path("/projects/{projectId}/recipes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Retry(maxRetries = 0)
    Job recipe(@PathParam("projectId") UUID projectId, @HeaderParam("Idempotency-Key") String key,
               Map<String, Object> request);

    /** Access: viewer of the job's project, served by the augment service's {@code AugmentationResource}. */
    @GET
    @Path("/augmentations/{jobId}")
    Job job(@PathParam("jobId") UUID jobId);
}
