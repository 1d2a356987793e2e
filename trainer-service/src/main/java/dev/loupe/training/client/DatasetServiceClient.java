package dev.loupe.training.client;

import dev.loupe.training.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

/** Downloads versions' ImageFolder exports from the dataset service. */
@ApplicationScoped
public class DatasetServiceClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public DatasetServiceClient(TrainerConfig config) {
        this.baseUrl = config.datasetServiceUrl().replaceAll("/+$", "");
    }

    /**
     * Streams the version's ImageFolder zip (images and manifest.csv with item ids and sides) to {@code target}.
     *
     * @return false when the dataset service does not know the version
     */
    public boolean downloadExport(UUID versionId, Path target) throws IOException, InterruptedException {
        String path = "/api/versions/" + versionId + "/export";
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofMinutes(30)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return false;
            }
            if (response.statusCode() != 200) {
                throw new IOException("GET " + path + " answered " + response.statusCode());
            }
            Files.createDirectories(target.getParent());
            Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
            return true;
        }
    }
}
