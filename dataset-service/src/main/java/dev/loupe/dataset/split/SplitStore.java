package dev.loupe.dataset.split;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads and writes the split's tables (style, near_duplicate, assignment) in the caller's transaction, the writes
 * as JDBC batches of typed rows; the split's state row is {@link SplitStates}'.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class SplitStore {

    /** An item as the split sees it; {@code cluster} is -1 for an unknown style, {@code provenance} only for derived items. */
    public record ItemRow(UUID itemId, String label, String sha256, String originalSplit, int cluster, long version,
                          String provenance) {
    }

    /** An item's stored side, with what it was assigned from; {@code reason} says why an item is out, else null. */
    public record Assignment(UUID itemId, String side, String label, int cluster, long itemVersion, String reason) {
    }

    /** A project whose split waits for a refresh or a style read. */
    public record Pending(UUID projectId, Instant lastChangeAt, Instant firstChangeAt, boolean stylesStale) {
    }

    private final EntityManager em;

    public SplitStore(EntityManager em) {
        this.em = em;
    }

    /** Projects with changes not yet in their split, a new configuration, or styles to read. */
    @SuppressWarnings("unchecked")
    public List<Pending> pending() {
        List<Object[]> rows = em.createNativeQuery("""
                SELECT project_id, last_change_at, first_change_at, styles_stale FROM split_state
                WHERE changes > changes_refreshed OR config_version > config_applied OR styles_stale""").getResultList();
        return rows.stream().map(r -> new Pending((UUID) r[0], instant(r[1]), instant(r[2]), (Boolean) r[3])).toList();
    }

    /** The project's items that are not excluded, with their style cluster. */
    @SuppressWarnings("unchecked")
    public List<ItemRow> items(UUID project) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT i.item_id, i.label, i.sha256, i.original_split, COALESCE(s.cluster, -1), i.version,
                               CASE WHEN i.source IN ('augmented', 'synthetic') THEN i.provenance END
                        FROM item i LEFT JOIN style s ON s.item_id = i.item_id
                        WHERE i.project_id = ?1 AND NOT i.excluded""")
                .setParameter(1, project).getResultList();
        return rows.stream().map(r -> new ItemRow((UUID) r[0], (String) r[1], ((String) r[2]).trim(), (String) r[3],
                ((Number) r[4]).intValue(), ((Number) r[5]).longValue(), (String) r[6])).toList();
    }

    @SuppressWarnings("unchecked")
    public List<NearDuplicate> nearDuplicates(UUID project) {
        List<Object[]> rows = em.createNativeQuery("SELECT item_a, item_b FROM near_duplicate WHERE project_id = ?1")
                .setParameter(1, project).getResultList();
        return rows.stream().map(r -> new NearDuplicate((UUID) r[0], (UUID) r[1])).toList();
    }

    /** The stored sides by item. */
    @SuppressWarnings("unchecked")
    public Map<UUID, Assignment> assignments(UUID project) {
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT item_id, side, label, cluster, item_version, reason FROM assignment WHERE project_id = ?1")
                .setParameter(1, project).getResultList();
        Map<UUID, Assignment> assignments = new HashMap<>();
        for (Object[] r : rows) {
            assignments.put((UUID) r[0], new Assignment((UUID) r[0], (String) r[1], (String) r[2],
                    ((Number) r[3]).intValue(), ((Number) r[4]).longValue(), (String) r[5]));
        }
        return assignments;
    }

    /** Deletes the sides of {@code removed} items and writes {@code changed} ones. */
    public void writeAssignments(UUID project, List<UUID> removed, List<Assignment> changed) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM assignment WHERE item_id = ?")) {
                for (UUID id : removed) {
                    delete.setObject(1, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO assignment (item_id, project_id, side, label, cluster, item_version, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (item_id) DO UPDATE SET side = EXCLUDED.side, label = EXCLUDED.label,
                    cluster = EXCLUDED.cluster, item_version = EXCLUDED.item_version, reason = EXCLUDED.reason""")) {
                for (Assignment a : changed) {
                    upsert.setObject(1, a.itemId());
                    upsert.setObject(2, project);
                    upsert.setString(3, a.side());
                    upsert.setString(4, a.label());
                    upsert.setInt(5, a.cluster());
                    upsert.setLong(6, a.itemVersion());
                    upsert.setString(7, a.reason());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    /** The val items of a version (read from its frozen sides, whatever became of the items since). */
    @SuppressWarnings("unchecked")
    public Set<UUID> valItems(UUID version) {
        List<UUID> ids = em.createNativeQuery("SELECT item_id FROM version_item WHERE version_id = ?1 AND side = 'val'")
                .setParameter(1, version).getResultList();
        return new HashSet<>(ids);
    }

    /** True when the stored styles are exactly these (same clusters, same pairs). */
    @SuppressWarnings("unchecked")
    public boolean sameStyles(UUID project, StyleSource.Styles styles) {
        List<Object[]> clusters = em.createNativeQuery("SELECT item_id, cluster FROM style WHERE project_id = ?1")
                .setParameter(1, project).getResultList();
        Map<UUID, Integer> stored = new HashMap<>();
        clusters.forEach(r -> stored.put((UUID) r[0], ((Number) r[1]).intValue()));
        if (!stored.equals(styles.clusters())) {
            return false;
        }
        Set<NearDuplicate> storedPairs = new HashSet<>(nearDuplicates(project));
        return storedPairs.equals(new HashSet<>(styles.nearDuplicates()));
    }

    /** Replaces the project's stored styles. */
    public void replaceStyles(UUID project, StyleSource.Styles styles) {
        em.createNativeQuery("DELETE FROM style WHERE project_id = ?1").setParameter(1, project).executeUpdate();
        em.createNativeQuery("DELETE FROM near_duplicate WHERE project_id = ?1").setParameter(1, project).executeUpdate();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO style (item_id, project_id, cluster) VALUES (?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET cluster = EXCLUDED.cluster")) {
                for (var e : styles.clusters().entrySet()) {
                    insert.setObject(1, e.getKey());
                    insert.setObject(2, project);
                    insert.setInt(3, e.getValue());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO near_duplicate (project_id, item_a, item_b) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (NearDuplicate pair : styles.nearDuplicates()) {
                    insert.setObject(1, project);
                    insert.setObject(2, pair.itemA());
                    insert.setObject(3, pair.itemB());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    /** A timestamptz column of a native query, whichever type the driver maps it to; null stays null. */
    private static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("unexpected time type " + value.getClass());
        };
    }
}
