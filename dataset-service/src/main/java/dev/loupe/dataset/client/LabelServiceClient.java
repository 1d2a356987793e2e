package dev.loupe.dataset.client;

import dev.loupe.common.rest.Remote;
import dev.loupe.common.util.Concurrently;
import dev.loupe.label.api.LabelApi;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.Collection;
import java.util.Map;

/** The label service (typed client at {@code loupe.dataset.label-service-url}): image bytes for exports. */
@ApplicationScoped
public class LabelServiceClient {

    private final LabelApi labels;

    public LabelServiceClient(@RestClient LabelApi labels) {
        this.labels = labels;
    }

    /** Fetches many blobs at once; the map holds the bytes, or the IOException saying why not, for every hash. */
    public Map<String, Object> blobs(Collection<String> hashes, int concurrency) throws InterruptedException {
        return Concurrently.callAll(hashes, concurrency, sha -> Remote.call("GET /api/blobs/" + sha, () -> labels.blob(sha)));
    }
}
