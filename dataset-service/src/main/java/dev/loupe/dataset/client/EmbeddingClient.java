package dev.loupe.dataset.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.dataset.config.DatasetConfig;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads style clusters and near duplicates of a project from the embedding service. */
@Singleton
public class EmbeddingClient {

    /** What the embedding service knows about a project's styles. */
    public record Styles(Map<UUID, Integer> clusters, List<UUID[]> nearDuplicates) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;
    private final String baseUrl;

    public EmbeddingClient(DatasetConfig config, ObjectMapper json) {
        this.baseUrl = config.embeddingServiceUrl().replaceAll("/+$", "");
        this.json = json;
    }

    /** @throws IOException when the embedding service is unreachable or answers with an error */
    public Styles styles(UUID projectId) throws IOException, InterruptedException {
        Map<UUID, Integer> clusters = new HashMap<>();
        for (JsonNode row : get("/api/projects/" + projectId + "/clusters")) {
            clusters.put(UUID.fromString(row.get("itemId").asText()), row.get("cluster").asInt());
        }
        List<UUID[]> pairs = new ArrayList<>();
        for (JsonNode finding : get("/api/projects/" + projectId + "/findings?type=duplicate&limit=5000").get("findings")) {
            JsonNode ids = finding.get("itemIds");
            if (ids.size() == 2) {
                pairs.add(new UUID[]{UUID.fromString(ids.get(0).asText()), UUID.fromString(ids.get(1).asText())});
            }
        }
        return new Styles(clusters, pairs);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }
}
