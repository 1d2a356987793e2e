package dev.loupe.dataset.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.io.InputStream;
import java.util.UUID;

/**
 * The dataset service as other services call it (MicroProfile REST Client; base URL
 * {@code quarkus.rest-client.dataset-service.url}). An answer of 400 or more throws {@code WebApplicationException}
 * with the status (404: no such version); an unreachable service throws {@code ProcessingException}, and is retried
 * with jitter; a circuit breaker opens when half of 10 calls could not reach it.
 * Access: this interface serves nothing; it is a client. Who may call each operation is declared where it is served
 * (the service's resource, {@code Access.require...}) and checked by that service's {@code AuthorizationMatrixTest}.
 */
@RegisterRestClient(configKey = DatasetApi.CONFIG_KEY)
@Path("/api")
public interface DatasetApi {

    String CONFIG_KEY = "dataset-service";
    String FORMAT_IMAGEFOLDER = "imagefolder";
    String FORMAT_CSV = "csv";

    /**
     * A version's export, streamed (the caller closes it): {@code imagefolder} is a zip of train/&lt;class&gt;/&lt;file&gt;,
     * val/&lt;class&gt;/&lt;file&gt; and manifest.csv (item ids and sides), {@code csv} the manifest alone. A zip cut short
     * (an image the label service could not give) has no central directory, so it never reads as complete. The
     * timeout covers the wait for the answer to start, not the download.
     * <p>
     * Access: viewer of the version's project, served by the dataset service's {@code VersionResource}.
     */
    @GET
    @Path("/versions/{versionId}/export")
    @Produces({"application/zip", "text/csv"})
    @Timeout(value = 30, unit = java.time.temporal.ChronoUnit.MINUTES)
    @Retry(maxRetries = 2, delay = 1000, jitter = 500, retryOn = {ProcessingException.class, TimeoutException.class})
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000,
            failOn = {ProcessingException.class, TimeoutException.class})
    InputStream export(@PathParam("versionId") UUID versionId, @QueryParam("format") String format);
}
