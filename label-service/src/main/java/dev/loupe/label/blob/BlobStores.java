package dev.loupe.label.blob;

import dev.loupe.label.config.LabelConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;

/** The one {@link BlobStore} of this deployment, chosen by {@code loupe.label.blobs.store}, prepared at startup. */
@ApplicationScoped
public class BlobStores {

    @Produces
    @ApplicationScoped
    BlobStore store(LabelConfig config, EntityManager em) {
        return switch (config.blobs().store()) {
            case POSTGRES -> new PostgresBlobStore(em);
            case S3 -> new S3BlobStore(em, S3BlobStore.client(config.blobs().s3()), config.blobs().s3());
        };
    }

    void close(@Disposes BlobStore store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    void prepare(@Observes StartupEvent start, BlobStore store) {
        store.prepare();
    }
}
