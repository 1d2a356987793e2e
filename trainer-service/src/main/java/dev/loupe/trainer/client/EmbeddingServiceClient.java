package dev.loupe.trainer.client;

import dev.loupe.common.rest.Remote;
import dev.loupe.embedding.api.EmbeddingApi;
import dev.loupe.embedding.api.PredictionSet;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The embedding service (typed client at {@code loupe.trainer.embedding-service-url}): where out-of-fold predictions go. */
@ApplicationScoped
public class EmbeddingServiceClient {

    private static final Logger LOG = Logger.getLogger(EmbeddingServiceClient.class);

    private final EmbeddingApi embeddings;

    public EmbeddingServiceClient(@RestClient EmbeddingApi embeddings) {
        this.embeddings = embeddings;
    }

    /**
     * Gives a trained model's out-of-fold predictions to the label-issue finder. Tried 5 times, 2, 4, 8 and 16 s apart
     * (with jitter), on any failure, a refusal too: the embedding service may not have seen the newest items yet.
     *
     * @throws IOException after the last attempt: the service could not be reached or refused the set (the message
     *                     carries its answer)
     */
    @Retry(maxRetries = 4, delay = 2000, jitter = 500, maxDuration = 15, durationUnit = ChronoUnit.MINUTES,
            retryOn = IOException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 30_000)
    public void handOver(UUID projectId, PredictionSet predictions) throws IOException {
        try {
            Remote.call("PUT /api/projects/" + projectId + "/model-predictions", () -> {
                embeddings.putModelPredictions(projectId, predictions);
                return null;
            });
        } catch (IOException e) {
            LOG.warnf("Handing over the predictions of evaluation %s failed: %s", predictions.evaluationId(), e.getMessage());
            throw e;
        }
    }
}
