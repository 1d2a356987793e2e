package dev.loupe.common.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * A client of the label service for the services that read from it (plain class: each service makes one from its
 * configured URL). Reads image bytes by hash (immutable, so cacheable forever) and project existence. */
public class LabelClient {

    /** The label service answered with an error or could not be reached. */
    public static class UnavailableException extends IOException {
        public UnavailableException(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public LabelClient(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    /** Streams one blob; the caller closes the stream. */
    public java.io.InputStream blob(String sha256) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/blobs/" + sha256))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new UnavailableException("GET /api/blobs/" + sha256 + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** Fetches many blobs concurrently; the map holds bytes or the failure for every hash. */
    public java.util.Map<String, Object> blobs(java.util.Collection<String> hashes, int concurrency) throws InterruptedException {
        java.util.Map<String, Object> result = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(concurrency);
        java.util.List<java.util.concurrent.CompletableFuture<Void>> all = new java.util.ArrayList<>();
        for (String sha : hashes) {
            slots.acquire();
            all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + "/api/blobs/" + sha))
                            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                    .handle((response, error) -> {
                        slots.release();
                        if (error != null) {
                            result.put(sha, new UnavailableException("GET /api/blobs/" + sha + " failed: " + error.getMessage()));
                        } else if (response.statusCode() != 200) {
                            result.put(sha, new UnavailableException("GET /api/blobs/" + sha + " answered " + response.statusCode()));
                        } else {
                            result.put(sha, response.body());
                        }
                        return null;
                    }));
        }
        java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        return result;
    }

    /** The project's classes, or empty when the project does not exist. */
    public java.util.Optional<java.util.List<String>> projectClasses(UUID projectId, com.fasterxml.jackson.databind.ObjectMapper json)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/projects/" + projectId))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return java.util.Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new UnavailableException("GET /api/projects/" + projectId + " answered " + response.statusCode());
        }
        java.util.List<String> classes = new java.util.ArrayList<>();
        json.readTree(response.body()).path("classes").forEach(c -> classes.add(c.asText()));
        return java.util.Optional.of(classes);
    }

    public boolean projectExists(UUID projectId) throws IOException, InterruptedException {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/projects/" + projectId))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 404) {
            return false;
        }
        if (response.statusCode() != 200) {
            throw new UnavailableException("GET /api/projects/" + projectId + " answered " + response.statusCode());
        }
        return true;
    }
}
