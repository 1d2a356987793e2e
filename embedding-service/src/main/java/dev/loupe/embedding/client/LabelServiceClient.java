package dev.loupe.embedding.client;

import dev.loupe.common.rest.Remote;
import dev.loupe.common.util.Concurrently;
import dev.loupe.label.api.LabelApi;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/** The label service (typed client at {@code loupe.embedding.label-service-url}): project existence and image bytes. */
@ApplicationScoped
public class LabelServiceClient {

    private final LabelApi labels;

    public LabelServiceClient(@RestClient LabelApi labels) {
        this.labels = labels;
    }

    /** @throws IOException when the label service cannot be reached or answers with an error other than 404 */
    public boolean projectExists(UUID projectId) throws IOException {
        return Remote.find("GET /api/projects/" + projectId, () -> labels.project(projectId)).isPresent();
    }

    /** The project's classes, or empty when the label service does not know it. */
    public java.util.Optional<java.util.List<String>> classes(UUID projectId) throws IOException {
        return Remote.find("GET /api/projects/" + projectId, () -> labels.project(projectId)).map(p -> p.classes());
    }

    /** Fetches many blobs at once; the map holds the bytes, or the IOException saying why not, for every hash. */
    public Map<String, Object> blobs(Collection<String> hashes, int concurrency) throws InterruptedException {
        return Concurrently.callAll(hashes, concurrency, sha -> Remote.call("GET /api/blobs/" + sha, () -> labels.blob(sha)));
    }
}
