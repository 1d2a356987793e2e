package dev.loupe.dataset.client;

import dev.loupe.common.rest.Remote;
import dev.loupe.embedding.api.ClusterView;
import dev.loupe.embedding.api.EmbeddingApi;
import dev.loupe.embedding.api.Finding;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads style clusters and near duplicates of a project from the embedding service (typed client). */
@ApplicationScoped
public class EmbeddingClient {

    /** The most near-duplicate pairs read per project. */
    static final int MAX_DUPLICATES = 5000;

    /** What the embedding service knows about a project's styles. */
    public record Styles(Map<UUID, Integer> clusters, List<UUID[]> nearDuplicates) {
    }

    private final EmbeddingApi embeddings;

    public EmbeddingClient(@RestClient EmbeddingApi embeddings) {
        this.embeddings = embeddings;
    }

    /** The project's findings of one type ({@code Finding.TYPE_...}), strongest first, at most {@code limit}. */
    public List<Finding> findings(UUID projectId, String type, int limit) throws IOException {
        return Remote.call("GET /api/projects/" + projectId + "/findings?type=" + type,
                () -> embeddings.findings(projectId, type, limit).findings());
    }

    /** @throws IOException when the embedding service is unreachable or answers with an error */
    public Styles styles(UUID projectId) throws IOException {
        Map<UUID, Integer> clusters = new HashMap<>();
        for (ClusterView row : Remote.call("GET /api/projects/" + projectId + "/clusters", () -> embeddings.clusters(projectId))) {
            clusters.put(row.itemId(), row.cluster());
        }
        List<UUID[]> pairs = new ArrayList<>();
        List<Finding> duplicates = Remote.call("GET /api/projects/" + projectId + "/findings?type=duplicate",
                () -> embeddings.findings(projectId, Finding.TYPE_DUPLICATE, MAX_DUPLICATES).findings());
        for (Finding finding : duplicates) {
            if (finding.itemIds().size() == 2) {
                pairs.add(new UUID[]{finding.itemIds().get(0), finding.itemIds().get(1)});
            }
        }
        return new Styles(clusters, pairs);
    }
}
