package dev.loupe.augment.client;

import dev.loupe.common.rest.Remote;
import dev.loupe.embedding.api.ClusterView;
import dev.loupe.embedding.api.EmbeddingApi;
import dev.loupe.embedding.api.Finding;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

/** The embedding service (typed client at {@code loupe.augment.embedding-service-url}): clusters and label issues for suggestions. */
@ApplicationScoped
public class EmbeddingServiceClient {

    private final EmbeddingApi embeddings;

    public EmbeddingServiceClient(@RestClient EmbeddingApi embeddings) {
        this.embeddings = embeddings;
    }

    /** @throws IOException when the embedding service is unreachable or answers with an error */
    public List<ClusterView> clusters(UUID projectId) throws IOException {
        return Remote.call("GET /api/projects/" + projectId + "/clusters", () -> embeddings.clusters(projectId));
    }

    /** Suspected wrong labels (the service's default number), strongest first. */
    public List<Finding> labelIssues(UUID projectId) throws IOException {
        return Remote.call("GET /api/projects/" + projectId + "/findings?type=label-issue",
                () -> embeddings.findings(projectId, Finding.TYPE_LABEL_ISSUE, null).findings());
    }
}
