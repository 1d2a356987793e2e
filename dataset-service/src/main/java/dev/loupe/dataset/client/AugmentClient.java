package dev.loupe.dataset.client;

import dev.loupe.augment.api.AugmentApi;

import dev.loupe.common.rest.Remote;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** The augment service (typed client at {@code loupe.dataset.augment-service-url}, this service's credential). */
@ApplicationScoped
public class AugmentClient {

    private final AugmentApi augment;

    public AugmentClient(@RestClient AugmentApi augment) {
        this.augment = augment;
    }

    public AugmentApi.Suggestions suggestions(UUID projectId) throws IOException {
        return Remote.call("GET /api/projects/" + projectId + "/augment-suggestions", () -> augment.suggestions(projectId));
    }

    /**
     * Starts an augmentation ({@code recipe} false) or recipe job and waits until it finished (at most {@code wait});
     * the same {@code key} returns the same job, so a repeated call never makes images twice.
     */
    public AugmentApi.Job run(UUID projectId, boolean recipe, String key, Map<String, Object> request, Duration wait)
            throws IOException, InterruptedException {
        String path = "/api/projects/" + projectId + (recipe ? "/recipes" : "/augmentations");
        AugmentApi.Job job = Remote.call("POST " + path, () -> recipe ? augment.recipe(projectId, key, request)
                : augment.augment(projectId, key, request));
        long deadline = System.nanoTime() + wait.toNanos();
        while (!job.finished()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("job " + job.jobId() + " did not finish within " + wait.toSeconds() + " s ("
                        + job.done() + " of " + job.total() + " images made)");
            }
            Thread.sleep(500);
            UUID id = job.jobId();
            job = Remote.call("GET /api/augmentations/" + id, () -> augment.job(id));
        }
        return job;
    }
}
