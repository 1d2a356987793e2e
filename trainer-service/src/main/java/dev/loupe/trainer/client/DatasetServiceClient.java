package dev.loupe.trainer.client;

import dev.loupe.common.rest.Remote;
import dev.loupe.dataset.api.DatasetApi;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/** Downloads versions' ImageFolder exports from the dataset service (typed client at {@code loupe.trainer.dataset-service-url}). */
@ApplicationScoped
public class DatasetServiceClient {

    private final DatasetApi datasets;

    public DatasetServiceClient(@RestClient DatasetApi datasets) {
        this.datasets = datasets;
    }

    /**
     * Streams the version's ImageFolder zip (images and manifest.csv with item ids and sides) to {@code target}.
     *
     * @return false when the dataset service does not know the version
     * @throws IOException when it cannot be reached, answers with another error, or the download breaks off
     */
    public boolean downloadExport(UUID versionId, Path target) throws IOException {
        Optional<InputStream> export = Remote.find("GET /api/versions/" + versionId + "/export",
                () -> datasets.export(versionId, DatasetApi.FORMAT_IMAGEFOLDER));
        if (export.isEmpty()) {
            return false;
        }
        try (InputStream body = export.get()) {
            Files.createDirectories(target.getParent());
            Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
            return true;
        }
    }
}
