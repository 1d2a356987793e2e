package dev.loupe.common.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A client of the embedding service for the services that read what it knows of a project (plain class: each service
 * makes one from its configured URL): style clusters, near-duplicate pairs, suspected wrong labels.
 */
public class EmbeddingClient {

    /** An item's style cluster within its class (-1 when unknown). */
    public record Clustered(UUID itemId, String label, int cluster) {
    }

    /** A suspected wrong label: the item, its given label and the label the embeddings suggest. */
    public record LabelIssue(UUID itemId, String givenLabel, String suggestedLabel, double confidence) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;
    private final String baseUrl;

    public EmbeddingClient(String baseUrl, ObjectMapper json) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.json = json;
    }

    /** @throws IOException when the embedding service is unreachable or answers with an error */
    public List<Clustered> clusters(UUID projectId) throws IOException, InterruptedException {
        List<Clustered> rows = new ArrayList<>();
        for (JsonNode row : get("/api/projects/" + projectId + "/clusters")) {
            rows.add(new Clustered(UUID.fromString(row.get("itemId").asText()), row.get("label").asText(),
                    row.get("cluster").asInt()));
        }
        return rows;
    }

    /** Pairs of exact and near duplicates (at most {@code limit}). */
    public List<UUID[]> duplicatePairs(UUID projectId, int limit) throws IOException, InterruptedException {
        List<UUID[]> pairs = new ArrayList<>();
        for (JsonNode finding : get("/api/projects/" + projectId + "/findings?type=duplicate&limit=" + limit).get("findings")) {
            JsonNode ids = finding.get("itemIds");
            if (ids.size() == 2) {
                pairs.add(new UUID[]{UUID.fromString(ids.get(0).asText()), UUID.fromString(ids.get(1).asText())});
            }
        }
        return pairs;
    }

    public List<LabelIssue> labelIssues(UUID projectId) throws IOException, InterruptedException {
        List<LabelIssue> issues = new ArrayList<>();
        for (JsonNode f : get("/api/projects/" + projectId + "/findings?type=label-issue").get("findings")) {
            JsonNode evidence = f.get("evidence");
            issues.add(new LabelIssue(UUID.fromString(f.get("itemIds").get(0).asText()),
                    evidence.get("givenLabel").asText(), evidence.get("suggestedLabel").asText(), f.get("score").asDouble()));
        }
        return issues;
    }

    /**
     * Hands a trained model's out-of-fold probabilities to the label-issue finder ({@code PUT
     * /api/projects/{id}/model-predictions}, body {versionId, evaluationId, model, classes, items: [{itemId,
     * probabilities}]}).
     *
     * @throws IOException when the service is unreachable or refuses the set (the message carries its answer)
     */
    public void putModelPredictions(UUID projectId, Object body) throws IOException, InterruptedException {
        String path = "/api/projects/" + projectId + "/model-predictions";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            String answer = response.body();
            throw new IOException("PUT " + path + " answered " + response.statusCode() + ": "
                    + (answer.length() > 500 ? answer.substring(0, 500) + "..." : answer));
        }
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
