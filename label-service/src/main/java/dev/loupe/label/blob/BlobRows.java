package dev.loupe.label.blob;

import dev.loupe.label.image.ImageInfo;
import jakarta.persistence.EntityManager;

import java.time.Instant;

/** The {@code label.blob} row of an image, which items reference whatever store holds its bytes. */
final class BlobRows {

    private BlobRows() {
    }

    /**
     * Inserts the row unless it exists, naming the store that holds the bytes; {@code bytes} is null when another
     * store than the database holds them. An image known only by reference (to an object in a source bucket) is
     * taken over by a store that holds bytes: from now on that store holds it, whatever happens to the source object.
     * True if inserted or taken over, i.e. when this store must hold the bytes.
     */
    static boolean insert(EntityManager em, ImageInfo info, String store, byte[] bytes, Instant now) {
        return insert(em, info, store, bytes, null, now);
    }

    /** Records an image kept by reference at {@code sourceUri} unless it is stored already, wherever. */
    static void insertReference(EntityManager em, ImageInfo info, String sourceUri, Instant now) {
        insert(em, info, ReferenceBlobStore.NAME, null, sourceUri, now);
    }

    private static boolean insert(EntityManager em, ImageInfo info, String store, byte[] bytes, String sourceUri,
                                  Instant now) {
        return em.createNativeQuery("""
                        INSERT INTO blob (sha256, content_type, size, width, height, bytes, created_at, store, source_uri)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                        ON CONFLICT (sha256) DO UPDATE SET store = EXCLUDED.store, bytes = EXCLUDED.bytes, source_uri = NULL
                        WHERE blob.store = 'reference' AND EXCLUDED.store <> 'reference'""")
                .setParameter(1, info.sha256())
                .setParameter(2, info.contentType())
                .setParameter(3, info.size())
                .setParameter(4, info.width())
                .setParameter(5, info.height())
                .setParameter(6, bytes)
                .setParameter(7, now)
                .setParameter(8, store)
                .setParameter(9, sourceUri)
                .executeUpdate() == 1;
    }
}
