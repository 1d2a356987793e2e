package dev.loupe.dataset.split;

import dev.loupe.dataset.client.EmbeddingClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where a project's styles come from: the embedding service. The only class of the split that calls a client, so
 * replacing the client touches this class alone.
 */
@ApplicationScoped
public class StyleSource {

    /** A project's style clusters (item to cluster) and near-duplicate pairs. */
    public record Styles(Map<UUID, Integer> clusters, List<NearDuplicate> nearDuplicates) {
    }

    private final EmbeddingClient embedding;

    public StyleSource(EmbeddingClient embedding) {
        this.embedding = embedding;
    }

    /** @throws IOException when the embedding service is unreachable or answers with an error */
    public Styles styles(UUID project) throws IOException, InterruptedException {
        EmbeddingClient.Styles styles = embedding.styles(project);
        return new Styles(styles.clusters(),
                styles.nearDuplicates().stream().map(pair -> new NearDuplicate(pair[0], pair[1])).toList());
    }
}
