package dev.loupe.label.blob;

import dev.loupe.label.image.ImageInfo;

import java.time.Instant;

/**
 * Where image bytes live, addressed by their sha256: the database ({@link PostgresBlobStore}, the default) or an
 * S3-compatible bucket ({@link S3BlobStore}). New images go to the configured store ({@code loupe.label.blobs.store});
 * the {@code label.blob} table keeps one row per image (type, size, dimensions, the {@link #name()} of the store
 * holding its bytes), which items reference, so reads find every image whichever store took it
 * ({@link BlobStores#open}).
 */
public interface BlobStore {

    /** The name rows record for images in this store ({@code label.blob.store}). */
    String name();

    /**
     * Stores a new image (its row names this store) unless it is stored already, wherever; runs in the caller's transaction, so the image's row commits
     * with the item that shows it.
     */
    void put(ImageInfo info, byte[] bytes, Instant now);

    /**
     * The image's bytes to send; the caller closes them. A 404 problem for an image this store does not hold, a 503
     * problem when the store does not answer.
     */
    StoredBlob open(String sha256);

    /** Whether this store holds the image's bytes. */
    boolean exists(String sha256);

    /** Prepares the store at startup (e.g. creates the bucket); fails the start when the store is unusable. */
    default void prepare() {
    }
}
