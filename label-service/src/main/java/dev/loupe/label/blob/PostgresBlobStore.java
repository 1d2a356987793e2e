package dev.loupe.label.blob;

import dev.loupe.common.rest.ProblemException;
import dev.loupe.label.image.ImageInfo;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.List;

/** Image bytes in the database, in the {@code bytes} column of {@code label.blob}: the embedded default. */
public class PostgresBlobStore implements BlobStore {

    public static final String NAME = "postgres";

    private final EntityManager em;

    public PostgresBlobStore(EntityManager em) {
        this.em = em;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void put(ImageInfo info, byte[] bytes, Instant now) {
        BlobRows.insert(em, info, NAME, bytes, now);
    }

    @Override
    public StoredBlob open(String sha256) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT content_type, bytes FROM blob WHERE sha256 = ?1 AND bytes IS NOT NULL")
                .setParameter(1, sha256)
                .getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("blob", sha256);
        }
        return StoredBlob.inMemory((String) rows.getFirst()[0], (byte[]) rows.getFirst()[1]);
    }

    @Override
    public boolean exists(String sha256) {
        return !em.createNativeQuery("SELECT 1 FROM blob WHERE sha256 = ?1 AND bytes IS NOT NULL")
                .setParameter(1, sha256).setMaxResults(1).getResultList().isEmpty();
    }
}
