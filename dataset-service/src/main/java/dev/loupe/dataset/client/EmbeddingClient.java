package dev.loupe.dataset.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.dataset.config.DatasetConfig;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads style clusters and near duplicates of a project from the embedding service. */
@Singleton
public class EmbeddingClient extends dev.loupe.common.client.EmbeddingClient {

    /** What the embedding service knows about a project's styles. */
    public record Styles(Map<UUID, Integer> clusters, List<UUID[]> nearDuplicates) {
    }

    public EmbeddingClient(DatasetConfig config, ObjectMapper json) {
        super(config.embeddingServiceUrl(), json);
    }

    /** @throws IOException when the embedding service is unreachable or answers with an error */
    public Styles styles(UUID projectId) throws IOException, InterruptedException {
        Map<UUID, Integer> clusters = new HashMap<>();
        for (Clustered row : clusters(projectId)) {
            clusters.put(row.itemId(), row.cluster());
        }
        return new Styles(clusters, duplicatePairs(projectId, 5000));
    }
}
