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
     * taken over: from now on this store holds it, whatever happens to the source object. True if inserted or taken
     * over, i.e. when this store must hold the bytes.
     */
    static boolean insert(EntityManager em, ImageInfo info, String store, byte[] bytes, Instant now) {
        return em.createNativeQuery("""
                        INSERT INTO blob (sha256, content_type, size, width, height, bytes, created_at, store)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                        ON CONFLICT (sha256) DO UPDATE SET store = EXCLUDED.store, bytes = EXCLUDED.bytes, source_uri = NULL
                        WHERE blob.store = 'reference'""")
                .setParameter(1, info.sha256())
                .setParameter(2, info.contentType())
                .setParameter(3, info.size())
                .setParameter(4, info.width())
                .setParameter(5, info.height())
                .setParameter(6, bytes)
                .setParameter(7, now)
                .setParameter(8, store)
                .executeUpdate() == 1;
    }
}
