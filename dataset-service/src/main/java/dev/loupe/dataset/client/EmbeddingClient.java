package dev.loupe.dataset.client;

import dev.loupe.common.rest.Remote;
import dev.loupe.embedding.api.ClusterView;
import dev.loupe.embedding.api.EmbeddingApi;
import dev.loupe.embedding.api.Finding;
import dev.loupe.embedding.api.ReviewQueuePage;
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

    /** The review queue's largest page. */
    static final int REVIEW_PAGE = 200;

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

    /**
     * What people have not decided yet: per item still in the review queue, the kinds of its open reasons (a decided
     * item has left the queue; a KEEP leaves out the finding kinds it kept). At most {@code maxItems} items are read.
     */
    public Map<UUID, java.util.Set<String>> openReasons(UUID projectId, int maxItems) throws IOException {
        Map<UUID, java.util.Set<String>> open = new HashMap<>();
        String cursor = null;
        do {
            String from = cursor;
            ReviewQueuePage page = Remote.call("GET /api/projects/" + projectId + "/review-queue",
                    () -> embeddings.reviewQueue(projectId, from, REVIEW_PAGE));
            for (ReviewQueuePage.QueuedItem item : page.items()) {
                java.util.Set<String> kinds = open.computeIfAbsent(item.itemId(), k -> new java.util.HashSet<>());
                item.reasons().forEach(r -> kinds.add(r.kind()));
            }
            cursor = page.nextCursor();
        } while (cursor != null && open.size() < maxItems);
        return open;
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
