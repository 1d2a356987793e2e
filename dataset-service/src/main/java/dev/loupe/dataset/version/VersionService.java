package dev.loupe.dataset.version;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.outbox.Outbox;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.ProblemException;
import dev.loupe.dataset.split.SplitState;
import dev.loupe.dataset.split.SplitRefresher;
import dev.loupe.dataset.split.SplitService;
import dev.loupe.dataset.webhook.WebhookService;
import dev.loupe.events.EventType;
import dev.loupe.events.DatasetVersionPublished;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Freezes a project's current split into an immutable version; reads and compares versions. */
@ApplicationScoped
public class VersionService {

    private static final Logger LOG = Logger.getLogger(VersionService.class);
    static final int MAX_NAME = 200;

    /** An immutable dataset version; {@code frozenValVersion}: the version its validation side was frozen at, or null. */
    public record VersionView(UUID versionId, UUID projectId, String name, String note, String contentHash, int items,
                              Map<String, Map<String, Integer>> counts, String strategy, long splitVersion,
                              long labelsSeen, String createdBy, Instant createdAt, String exportUrl, UUID frozenValVersion) {
    }

    /** One item as a version froze it. */
    public record VersionItem(UUID itemId, String label, String sha256, String side, String path, String originalPath,
                              String source, String provenance) {
    }

    /** Per item, what changed from one version to another. */
    public record Change(UUID itemId, String from, String to) {
    }

    public record Diff(UUID from, UUID to, List<UUID> added, List<UUID> removed, List<Change> relabelled,
                       List<Change> moved) {
    }

    private final EntityManager em;
    private final SplitRefresher refresher;
    private final SplitService splits;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final WebhookService webhooks;

    public VersionService(EntityManager em, SplitRefresher refresher, SplitService splits, Outbox outbox,
                          ObjectMapper json, WebhookService webhooks) {
        this.em = em;
        this.refresher = refresher;
        this.splits = splits;
        this.outbox = outbox;
        this.json = json;
        this.webhooks = webhooks;
    }

    /**
     * Freezes the split as it is after every change applied so far (a pending refresh runs first, in this
     * transaction), publishes DatasetVersionPublished and notifies the webhooks.
     */
    @Transactional
    public VersionView create(UUID projectId, String name, String note, String by) {
        FieldErrors errors = new FieldErrors();
        errors.check(name == null || name.isBlank(), "name", "is required")
                .check(name != null && name.length() > MAX_NAME, "name", "must be at most " + MAX_NAME + " characters")
                .check(note != null && note.length() > 10_000, "note", "must be at most 10000 characters")
                .throwIfAny();
        SplitState state = em.find(SplitState.class, projectId, LockModeType.PESSIMISTIC_WRITE);
        if (state == null) {
            throw ProblemException.notFound("project", projectId);
        }
        String cleanName = name.strip();
        if (DatasetVersion.count("projectId = ?1 and name = ?2", projectId, cleanName) > 0) {
            throw ProblemException.conflict("name", "project " + projectId + " already has a version named " + cleanName);
        }
        if (state.changes != state.changesRefreshed || state.configApplied != state.configVersion) {
            refresher.refreshLocked(state);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT a.item_id, i.label, i.sha256, a.side, i.original_path, i.source, i.provenance
                        FROM assignment a JOIN item i ON i.item_id = a.item_id
                        WHERE a.project_id = ?1 AND a.side IN ('train', 'val') ORDER BY a.item_id""")
                .setParameter(1, projectId).getResultList();
        ExportPaths paths = new ExportPaths();
        List<VersionItem> items = new ArrayList<>(rows.size());
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        counts.put("train", new TreeMap<>());
        counts.put("val", new TreeMap<>());
        MessageDigest content = sha256();
        for (Object[] r : rows) {
            UUID id = (UUID) r[0];
            String label = (String) r[1];
            String sha = ((String) r[2]).trim();
            String side = (String) r[3];
            items.add(new VersionItem(id, label, sha, side, paths.next(side, label, (String) r[4], id), (String) r[4],
                    (String) r[5], (String) r[6]));
            counts.get(side).merge(label, 1, Integer::sum);
            content.update((id + "\t" + label + "\t" + sha + "\t" + side + "\n").getBytes(StandardCharsets.UTF_8));
        }
        DatasetVersion version = new DatasetVersion();
        version.versionId = UUID.randomUUID();
        version.projectId = projectId;
        version.name = cleanName;
        version.note = note;
        version.contentHash = HexFormat.of().formatHex(content.digest());
        version.items = items.size();
        version.counts = write(counts);
        version.strategy = state.strategy;
        version.splitVersion = state.splitVersion;
        version.frozenValVersion = state.frozenValVersion;
        version.labelsSeen = state.splitLabelsSeen;
        version.createdBy = by;
        version.createdAt = Instant.now();
        version.persist();
        em.flush();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO version_item (version_id, item_id, label, sha256, side, path, original_path, source, provenance)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (VersionItem item : items) {
                    insert.setObject(1, version.versionId);
                    insert.setObject(2, item.itemId());
                    insert.setString(3, item.label());
                    insert.setString(4, item.sha256());
                    insert.setString(5, item.side());
                    insert.setString(6, item.path());
                    insert.setString(7, item.originalPath());
                    insert.setString(8, item.source());
                    insert.setString(9, item.provenance());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
        DatasetVersionPublished event = new DatasetVersionPublished(projectId, version.versionId, version.name,
                version.contentHash, version.items, counts, version.splitVersion, version.labelsSeen,
                exportPath(version.versionId), by, version.createdAt);
        outbox.publish(event, version.createdAt);
        // webhook deliveries are written in this transaction too: no version without its notifications
        webhooks.enqueue(projectId, EventType.DATASET_VERSION_PUBLISHED.wireName(), write(event));
        LOG.infof("Version %s (%s) of project %s: %d items, content %s", version.versionId, version.name, projectId,
                version.items, version.contentHash.substring(0, 12));
        return view(version);
    }

    public static String exportPath(UUID versionId) {
        return "/api/versions/" + versionId + "/export?format=imagefolder";
    }

    /** The project the version belongs to, or 404 (for access checks). */
    public UUID projectOf(UUID versionId) {
        return load(versionId).projectId;
    }

    /** The version's name, or 404. */
    public String name(UUID versionId) {
        return load(versionId).name;
    }

    private DatasetVersion load(UUID versionId) {
        DatasetVersion version = QuarkusTransaction.requiringNew().call(() -> DatasetVersion.<DatasetVersion>findById(versionId));
        if (version == null) {
            throw ProblemException.notFound("version", versionId);
        }
        return version;
    }

    /** One version, or 404. */
    public VersionView get(UUID versionId) {
        return view(load(versionId));
    }

    /** The project's versions, newest first; 404 for a project this service has not seen. */
    public List<VersionView> list(UUID projectId) {
        splits.require(projectId);
        List<DatasetVersion> list = QuarkusTransaction.requiringNew().call(() ->
                DatasetVersion.<DatasetVersion>list("projectId = ?1 order by createdAt desc", projectId));
        return list.stream().map(this::view).toList();
    }

    private VersionView view(DatasetVersion v) {
        return new VersionView(v.versionId, v.projectId, v.name, v.note, v.contentHash, v.items, splits.counts(v.counts),
                v.strategy, v.splitVersion, v.labelsSeen, v.createdBy, v.createdAt, exportPath(v.versionId), v.frozenValVersion);
    }

    /** The items of a version in item-id order, {@code limit} from {@code offset}; side null for both. */
    public List<VersionItem> items(UUID versionId, String side, long offset, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                            SELECT item_id, label, sha256, side, path, original_path, source, provenance FROM version_item
                            WHERE version_id = ?1 AND (?2 = '' OR side = ?2) ORDER BY item_id LIMIT ?3 OFFSET ?4""")
                    .setParameter(1, versionId).setParameter(2, side == null ? "" : side)
                    .setParameter(3, limit).setParameter(4, offset).getResultList();
            return rows.stream().map(r -> new VersionItem((UUID) r[0], (String) r[1], ((String) r[2]).trim(),
                    (String) r[3], (String) r[4], (String) r[5], (String) r[6], (String) r[7])).toList();
        });
    }

    /** What changed from version {@code from} to version {@code to} (same project). */
    public Diff diff(UUID from, UUID to) {
        DatasetVersion a = load(from);
        DatasetVersion b = load(to);
        if (!a.projectId.equals(b.projectId)) {
            throw ProblemException.unprocessable("against", "version " + from + " belongs to another project");
        }
        Map<UUID, VersionItem> before = all(from);
        Map<UUID, VersionItem> after = all(to);
        List<UUID> added = new ArrayList<>();
        List<UUID> removed = new ArrayList<>();
        List<Change> relabelled = new ArrayList<>();
        List<Change> moved = new ArrayList<>();
        after.forEach((id, item) -> {
            VersionItem old = before.get(id);
            if (old == null) {
                added.add(id);
            } else {
                if (!old.label().equals(item.label())) {
                    relabelled.add(new Change(id, old.label(), item.label()));
                }
                if (!old.side().equals(item.side())) {
                    moved.add(new Change(id, old.side(), item.side()));
                }
            }
        });
        before.keySet().stream().filter(id -> !after.containsKey(id)).forEach(removed::add);
        return new Diff(from, to, added, removed, relabelled, moved);
    }

    private Map<UUID, VersionItem> all(UUID versionId) {
        Map<UUID, VersionItem> map = new TreeMap<>();
        for (VersionItem item : items(versionId, null, 0, Integer.MAX_VALUE)) {
            map.put(item.itemId(), item);
        }
        return map;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
