package dev.loupe.augment.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.augment.config.AugmentConfig;
import dev.loupe.common.client.LabelClient;
import dev.loupe.events.Provenance;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The label service at {@code loupe.augment.label-service-url}: items to read, images to fetch, new items to add. */
@Singleton
public class LabelServiceClient extends LabelClient {

    /** What the augment service needs to know of an item. */
    public record Item(UUID id, UUID projectId, String label, long version, boolean excluded, String sha256,
                       int width, int height, String originalSplit, String originalPath, String source) {
    }

    /** A new item for the label service; the idempotency key makes a repeated add return the first item. */
    public record NewItem(byte[] png, String label, String source, Provenance provenance, String originalPath,
                          String idempotencyKey) {
    }

    /** The label service refused a request (4xx other than 404): its status and detail. */
    public static class RefusedException extends IOException {
        private final int status;

        public RefusedException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final ObjectMapper json;

    public LabelServiceClient(AugmentConfig config, ObjectMapper json) {
        super(config.labelServiceUrl());
        this.baseUrl = config.labelServiceUrl().replaceAll("/+$", "");
        this.json = json;
    }

    /** The project's classes, or empty when the project does not exist. */
    public Optional<List<String>> classes(UUID projectId) throws IOException, InterruptedException {
        return get("/api/projects/" + projectId).map(node -> {
            List<String> classes = new ArrayList<>();
            node.get("classes").forEach(c -> classes.add(c.asText()));
            return classes;
        });
    }

    public Optional<Item> item(UUID itemId) throws IOException, InterruptedException {
        return get("/api/items/" + itemId).map(LabelServiceClient::item);
    }

    /**
     * One page of a project's items that are not excluded, filtered by label, original split and source (each may be
     * null), and the total count matching.
     */
    public Page items(UUID projectId, String label, String split, String source, int page, int size)
            throws IOException, InterruptedException {
        StringBuilder path = new StringBuilder("/api/projects/" + projectId + "/items?page=" + page + "&size=" + size);
        if (label != null) path.append("&label=").append(URLEncoder.encode(label, StandardCharsets.UTF_8));
        if (split != null) path.append("&split=").append(URLEncoder.encode(split, StandardCharsets.UTF_8));
        if (source != null) path.append("&source=").append(URLEncoder.encode(source, StandardCharsets.UTF_8));
        JsonNode node = get(path.toString()).orElseThrow(() -> new UnavailableException("project " + projectId + " is gone"));
        List<Item> items = new ArrayList<>();
        node.get("items").forEach(i -> items.add(item(i)));
        return new Page(items, node.get("total").asLong());
    }

    /** A page of items and the number of all items matching. */
    public record Page(List<Item> items, long total) {
    }

    /** Adds an item (multipart upload); returns the item the label service created or had for that key. */
    public Item add(UUID projectId, NewItem item) throws IOException, InterruptedException {
        String boundary = "loupe-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(item.png().length + 2048);
        part(body, boundary, "label", item.label());
        part(body, boundary, "source", item.source());
        part(body, boundary, "provenance", json.writeValueAsString(item.provenance()));
        part(body, boundary, "originalPath", item.originalPath());
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
                + item.originalPath().replaceAll("[\"\\\\\r\n]", "_") + "\"\r\nContent-Type: image/png\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(item.png());
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/projects/" + projectId + "/items"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Loupe-User", "augment-service")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (item.idempotencyKey() != null) request.header("Idempotency-Key", item.idempotencyKey());
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 200 || response.statusCode() == 201) {
            return item(json.readTree(response.body()));
        }
        String detail = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() >= 400 && response.statusCode() < 500) {
            throw new RefusedException(response.statusCode(), "the label service refused the new item ("
                    + response.statusCode() + "): " + abbreviate(detail));
        }
        throw new UnavailableException("POST /api/projects/" + projectId + "/items answered " + response.statusCode()
                + ": " + abbreviate(detail));
    }

    private Optional<JsonNode> get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) return Optional.empty();
        if (response.statusCode() != 200) {
            throw new UnavailableException("GET " + path + " answered " + response.statusCode());
        }
        return Optional.of(json.readTree(response.body()));
    }

    private static Item item(JsonNode n) {
        return new Item(UUID.fromString(n.get("id").asText()), UUID.fromString(n.get("projectId").asText()),
                n.get("label").asText(), n.get("version").asLong(), n.get("excluded").asBoolean(),
                n.get("sha256").asText(), n.get("width").asInt(), n.get("height").asInt(), text(n, "originalSplit"),
                text(n, "originalPath"), text(n, "source"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, String value) throws IOException {
        if (value == null) return;
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                + "\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
