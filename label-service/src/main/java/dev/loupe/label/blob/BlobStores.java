package dev.loupe.label.blob;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.config.LabelConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The blob stores of this deployment: the database always, an S3-compatible bucket when {@code store=s3} or
 * {@code loupe.label.blobs.s3.enabled}, the import buckets of images imported by reference when
 * {@code loupe.label.imports.s3.buckets} names any. New images go to {@link #forNew()}; a read goes to the store its row names,
 * so images stay readable while they move between stores.
 */
@ApplicationScoped
public class BlobStores {

    private static final Logger LOG = Logger.getLogger(BlobStores.class);

    private final EntityManager em;
    private final Map<String, BlobStore> stores = new LinkedHashMap<>();
    private final BlobStore forNew;

    public BlobStores(LabelConfig config, EntityManager em, SourceBuckets sourceBuckets, ReferenceBlobStore references) {
        this.em = em;
        LabelConfig.Blobs blobs = config.blobs();
        add(new PostgresBlobStore(em));
        if (blobs.store() == LabelConfig.Blobs.Store.S3 || blobs.s3().enabled()) {
            add(new S3BlobStore(em, S3BlobStore.client(blobs.s3()), blobs.s3()));
        }
        if (sourceBuckets.enabled()) {
            add(references);
        }
        forNew = stores.get(blobs.store().name().toLowerCase(java.util.Locale.ROOT));
    }

    private void add(BlobStore store) {
        stores.put(store.name(), store);
    }

    /** Where new images go ({@code loupe.label.blobs.store}). */
    public BlobStore forNew() {
        return forNew;
    }

    /** The store of that name, if this deployment has it. */
    public Optional<BlobStore> named(String name) {
        return Optional.ofNullable(stores.get(name));
    }

    /** The names of this deployment's stores. */
    public List<String> names() {
        return List.copyOf(stores.keySet());
    }

    /** The store holding this image: a 404 problem for an unknown image, 503 when its store is not configured. */
    public BlobStore holding(String sha256) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("SELECT store FROM blob WHERE sha256 = ?1")
                .setParameter(1, sha256).getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("blob", sha256);
        }
        String name = rows.getFirst();
        return named(name).orElseThrow(() -> {
            LOG.errorf("Image %s is in store %s, which this deployment has not configured", sha256, name);
            return new ProblemException(503, "Service unavailable", "the image is in the " + name
                    + " store, which this deployment has not configured (see loupe.label.blobs)", List.of());
        });
    }

    /**
     * The image's bytes from the store its row names (the caller closes them). An image a migration moved between
     * reading its row and reading its bytes is read again where its row says it is now, so readers see no gap.
     */
    public StoredBlob open(String sha256) {
        BlobStore store = holding(sha256);
        try {
            return store.open(sha256);
        } catch (ProblemException e) {
            BlobStore now = e.status() == 404 ? holding(sha256) : store;
            if (now == store) {
                throw e;
            }
            return now.open(sha256);
        }
    }

    void prepare(@Observes StartupEvent start) {
        stores.values().forEach(BlobStore::prepare);
    }

    @PreDestroy
    void close() throws Exception {
        for (BlobStore store : stores.values()) {
            if (store instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
