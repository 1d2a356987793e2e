package dev.loupe.label.service;

import dev.loupe.label.blob.BlobStores;
import dev.loupe.label.blob.ReferenceBlobStore;
import dev.loupe.label.blob.S3Uri;
import dev.loupe.label.blob.S3BlobStore;
import dev.loupe.label.blob.S3Links;
import dev.loupe.label.blob.StoredBlob;
import dev.loupe.label.image.ImageInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Image bytes by sha256, in the deployment's {@link BlobStores}. */
@ApplicationScoped
public class BlobService {

    private final EntityManager em;
    private final BlobStores stores;
    private final ReferenceBlobStore references;
    private final S3Links links;

    public BlobService(EntityManager em, BlobStores stores, ReferenceBlobStore references, S3Links links) {
        this.em = em;
        this.stores = stores;
        this.references = references;
        this.links = links;
    }

    /** A short-lived presigned URL of the image when presigning is on and the bucket holds it; else empty. */
    public Optional<URI> link(String sha256) {
        if (!links.enabled() || !stores.holding(sha256).name().equals(S3BlobStore.NAME)) {
            return Optional.empty();
        }
        return links.link(sha256);
    }

    /** How long {@link #link} URLs work. */
    public Duration linkTtl() {
        return links.ttl();
    }

    /** The projects whose items show this image. */
    public List<java.util.UUID> projects(String sha256) {
        @SuppressWarnings("unchecked")
        List<java.util.UUID> rows = em.createNativeQuery("SELECT DISTINCT project_id FROM item WHERE sha256 = ?1", java.util.UUID.class)
                .setParameter(1, sha256).getResultList();
        return rows;
    }

    /** The image's bytes (the caller closes them); 404 problem for an unknown image, 503 when the store is away. */
    public StoredBlob require(String sha256) {
        return stores.open(sha256);
    }

    /** Stores an inspected image unless it is stored already, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void put(ImageInfo info, byte[] bytes, Instant now) {
        stores.forNew().put(info, bytes, now);
    }

    /** Records an image imported by reference (it stays in {@code source}) unless it is stored already. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void putReference(ImageInfo info, S3Uri source, Instant now) {
        references.record(info, source, now);
    }
}
