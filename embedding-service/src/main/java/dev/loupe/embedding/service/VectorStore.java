package dev.loupe.embedding.service;

import dev.loupe.embedding.analysis.ItemVector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Vectors by image hash and model, stored as little-endian float32 bytes. */
@ApplicationScoped
public class VectorStore {

    private final EntityManager em;

    public VectorStore(EntityManager em) {
        this.em = em;
    }

    public boolean exists(String sha256, String embedder) {
        return !em.createNativeQuery("SELECT 1 FROM vector WHERE sha256 = ?1 AND embedder = ?2")
                .setParameter(1, sha256).setParameter(2, embedder).getResultList().isEmpty();
    }

    /** Which of {@code hashes} already have a vector for {@code embedder}. */
    public java.util.Set<String> existing(java.util.Collection<String> hashes, String embedder) {
        if (hashes.isEmpty()) {
            return java.util.Set.of();
        }
        @SuppressWarnings("unchecked")
        List<String> found = em.createNativeQuery("SELECT sha256 FROM vector WHERE embedder = ?1 AND sha256 IN (?2)")
                .setParameter(1, embedder).setParameter(2, hashes).getResultList();
        java.util.Set<String> result = new java.util.HashSet<>();
        found.forEach(h -> result.add(h.trim()));
        return result;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void save(String sha256, String embedder, float[] vector) {
        em.createNativeQuery("""
                        INSERT INTO vector (sha256, embedder, dimension, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
                        ON CONFLICT (sha256, embedder) DO NOTHING""")
                .setParameter(1, sha256).setParameter(2, embedder).setParameter(3, vector.length)
                .setParameter(4, encode(vector)).setParameter(5, Instant.now())
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void saveInk(String sha256, double ink) {
        em.createNativeQuery("INSERT INTO image_stats (sha256, ink) VALUES (?1, ?2) ON CONFLICT (sha256) DO NOTHING")
                .setParameter(1, sha256).setParameter(2, ink).executeUpdate();
    }

    private static final String ROWS = """
            SELECT i.item_id, i.label, i.original_split, i.sha256, v.data, s.ink
            FROM item i JOIN vector v ON v.sha256 = i.sha256 AND v.embedder = ?2
            LEFT JOIN image_stats s ON s.sha256 = i.sha256
            WHERE i.project_id = ?1 AND NOT i.excluded AND i.status = 'EMBEDDED'""";

    /** Every embedded, not excluded item of a project with its vector for {@code embedder}, in item-id order. */
    public List<ItemVector> project(UUID projectId, String embedder) {
        return rows(em.createNativeQuery(ROWS + " ORDER BY i.item_id")
                .setParameter(1, projectId).setParameter(2, embedder).getResultList());
    }

    /** Those of {@code itemIds} that are embedded and not excluded, with their vectors. */
    public List<ItemVector> items(UUID projectId, String embedder, java.util.Collection<UUID> itemIds) {
        if (itemIds.isEmpty()) {
            return List.of();
        }
        return rows(em.createNativeQuery(ROWS + " AND i.item_id IN (?3)")
                .setParameter(1, projectId).setParameter(2, embedder).setParameter(3, itemIds).getResultList());
    }

    /** Ids of the projects that have items. */
    @SuppressWarnings("unchecked")
    public List<UUID> projects() {
        return em.createNativeQuery("SELECT DISTINCT project_id FROM item").getResultList();
    }

    @SuppressWarnings("unchecked")
    private static List<ItemVector> rows(List<?> raw) {
        List<Object[]> rows = (List<Object[]>) raw;
        List<ItemVector> result = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            result.add(new ItemVector((UUID) row[0], (String) row[1], (String) row[2], ((String) row[3]).trim(),
                    decode((byte[]) row[4]), row[5] == null ? null : ((Number) row[5]).doubleValue()));
        }
        return result;
    }

    static byte[] encode(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] decode(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
