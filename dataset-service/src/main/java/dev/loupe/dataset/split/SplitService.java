package dev.loupe.dataset.split;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.rest.FieldErrors;
import dev.loupe.common.rest.IfMatch;
import dev.loupe.common.rest.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads and configures splits; lets a caller wait for a split that includes a given change. */
@ApplicationScoped
public class SplitService {

    /**
     * A split configuration as a team edits it.
     *
     * @param frozenValVersion a version of the project whose val items stay the validation side (strategy and
     *                         valFraction then do not move val), or null: the strategy chooses val
     */
    public record ConfigView(String strategy, Double valFraction, Long seed, Integer maxItems, String frozenValVersion) {
    }

    /**
     * The split of one project as of one refresh.
     *
     * @param leftOutReasons   reason -> items left out for it ("over maxItems", "near-duplicate of a frozen validation item")
     * @param frozenValVersion the version whose val items are the validation side, or null
     * @param frozenValItems   while frozen: how many of them are on val now (the rest were excluded or deleted)
     */
    public record SplitView(UUID projectId, long splitVersion, String strategy, double valFraction, long seed,
                            Integer maxItems, long labelsSeen, boolean current, Map<String, Map<String, Integer>> counts,
                            int leftOut, Map<String, Integer> leftOutReasons, UUID frozenValVersion,
                            String frozenValVersionName, Integer frozenValItems, Instant generatedAt, Boolean reached) {
    }

    /** One item's side; {@code reason} says why an item is out, else null. */
    public record Assignment(UUID itemId, String label, String side, int cluster, long itemVersion, String reason) {
    }

    public record AssignmentPage(List<Assignment> items, long total, int page, int size) {
    }

    /** A split configuration with its version (the ETag of the configuration). */
    public record VersionedConfig(ConfigView config, long version) {
        static VersionedConfig of(SplitState s) {
            return new VersionedConfig(new ConfigView(s.strategy, s.valFraction, s.seed, s.maxItems,
                    s.frozenValVersion == null ? null : s.frozenValVersion.toString()), s.configVersion);
        }
    }

    private static final TypeReference<Map<String, Map<String, Integer>>> COUNTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Integer>> REASONS = new TypeReference<>() {
    };

    private final EntityManager em;
    private final SplitWatch watch;
    private final SplitRefresher refresher;
    private final ObjectMapper json;

    public SplitService(EntityManager em, SplitWatch watch, SplitRefresher refresher, ObjectMapper json) {
        this.em = em;
        this.watch = watch;
        this.refresher = refresher;
        this.json = json;
    }

    /** The state of a project this service has seen, or 404. */
    public SplitState require(UUID projectId) {
        SplitState state = QuarkusTransaction.requiringNew().call(() -> SplitState.<SplitState>findById(projectId));
        if (state == null) {
            throw ProblemException.notFound("project", projectId);
        }
        return state;
    }

    /** The project's split as of its last refresh, or 404. */
    public SplitView current(UUID projectId) {
        return view(require(projectId), null);
    }

    /** The project's split configuration and its version, or 404. */
    public VersionedConfig config(UUID projectId) {
        return VersionedConfig.of(require(projectId));
    }

    public SplitView view(SplitState s, Boolean reached) {
        Map<String, Map<String, Integer>> counts = counts(s.counts);
        String frozenName = s.frozenValVersion == null ? null : QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> names = em.createNativeQuery("SELECT name FROM dataset_version WHERE version_id = ?1")
                    .setParameter(1, s.frozenValVersion).getResultList();
            return names.isEmpty() ? null : names.getFirst();
        });
        Integer frozenItems = s.frozenValVersion == null ? null
                : counts.getOrDefault("val", Map.of()).values().stream().mapToInt(Integer::intValue).sum();
        return new SplitView(s.projectId, s.splitVersion, s.strategy, s.valFraction, s.seed, s.maxItems, s.splitLabelsSeen,
                s.changes == s.changesRefreshed && s.configApplied == s.configVersion, counts, s.leftOut,
                read(s.leftOutReasons, REASONS, Map.of()), s.frozenValVersion, frozenName, frozenItems, s.generatedAt, reached);
    }

    public Map<String, Map<String, Integer>> counts(String text) {
        return read(text, COUNTS, Map.of("train", Map.of(), "val", Map.of()));
    }

    private <T> T read(String text, TypeReference<T> type, T none) {
        if (text == null) {
            return none;
        }
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new IllegalStateException("stored split state unreadable", e);
        }
    }

    /**
     * Waits (at most {@code wait}) until the split includes label-service events up to {@code minLabelsSeen} and/or
     * item {@code itemId} at version {@code minVersion} or later (or the item left the split, e.g. excluded).
     */
    public SplitView await(UUID projectId, Long minLabelsSeen, UUID itemId, Long minVersion, Duration wait)
            throws InterruptedException {
        require(projectId);
        boolean reached = watch.await(() -> reached(projectId, minLabelsSeen, itemId, minVersion), wait);
        return view(require(projectId), reached);
    }

    private boolean reached(UUID projectId, Long minLabelsSeen, UUID itemId, Long minVersion) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SplitState s = SplitState.findById(projectId);
            if (minLabelsSeen != null && s.splitLabelsSeen < minLabelsSeen) {
                return false;
            }
            if (itemId != null) {
                long wanted = minVersion == null ? 1 : minVersion;
                @SuppressWarnings("unchecked")
                List<Number> version = em.createNativeQuery("SELECT item_version FROM assignment WHERE item_id = ?1")
                        .setParameter(1, itemId).getResultList();
                if (!version.isEmpty()) {
                    return version.getFirst().longValue() >= wanted;
                }
                // not in the split: reached if the item is excluded at that version and the split has caught up
                @SuppressWarnings("unchecked")
                List<Object[]> item = em.createNativeQuery("SELECT version, excluded FROM item WHERE item_id = ?1")
                        .setParameter(1, itemId).getResultList();
                return !item.isEmpty() && ((Number) item.getFirst()[0]).longValue() >= wanted && (Boolean) item.getFirst()[1]
                        && s.changes == s.changesRefreshed;
            }
            return true;
        });
    }

    public AssignmentPage assignments(UUID projectId, String side, String label, UUID itemId, int page, int size) {
        require(projectId);
        StringBuilder where = new StringBuilder(" WHERE project_id = ?1");
        List<Object> params = new ArrayList<>(List.of(projectId));
        if (side != null) {
            params.add(side);
            where.append(" AND side = ?").append(params.size());
        }
        if (label != null) {
            params.add(label);
            where.append(" AND label = ?").append(params.size());
        }
        if (itemId != null) {
            params.add(itemId);
            where.append(" AND item_id = ?").append(params.size());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            var count = em.createNativeQuery("SELECT count(*) FROM assignment" + where);
            var select = em.createNativeQuery("SELECT item_id, label, side, cluster, item_version, reason FROM assignment" + where
                    + " ORDER BY item_id LIMIT " + size + " OFFSET " + ((long) page * size));
            for (int i = 0; i < params.size(); i++) {
                count.setParameter(i + 1, params.get(i));
                select.setParameter(i + 1, params.get(i));
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = select.getResultList();
            List<Assignment> items = rows.stream().map(r -> new Assignment((UUID) r[0], (String) r[1], (String) r[2],
                    ((Number) r[3]).intValue(), ((Number) r[4]).longValue(), (String) r[5])).toList();
            return new AssignmentPage(items, ((Number) count.getSingleResult()).longValue(), page, size);
        });
    }

    /**
     * Replaces the configuration; the next refresh (at once) recomputes the split from scratch with it.
     *
     * @param expectedVersion from If-Match; required
     */
    @Transactional
    public VersionedConfig configure(UUID projectId, ConfigView request, Long expectedVersion) {
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON object {strategy, valFraction, seed, maxItems, frozenValVersion} is required");
        }
        FieldErrors errors = new FieldErrors();
        errors.check(request.strategy() == null || SplitPlanner.Strategy.fromWire(request.strategy()).isEmpty(), "strategy",
                        "must be one of stratified, style-balanced, keep-original")
                .check(request.valFraction() == null || !(request.valFraction() > 0 && request.valFraction() < 1),
                        "valFraction", "must be a number between 0 and 1, both excluded")
                .check(request.maxItems() != null && request.maxItems() < 1, "maxItems", "must be at least 1, or null for no cap")
                .throwIfAny();
        SplitState state = em.find(SplitState.class, projectId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (state == null) {
            throw ProblemException.notFound("project", projectId);
        }
        UUID frozen = frozenValVersion(projectId, request.frozenValVersion());
        if (expectedVersion == null) {
            throw ProblemException.preconditionRequired("send If-Match with the configuration version you saw, e.g. If-Match: \""
                    + state.configVersion + "\"");
        }
        if (expectedVersion != IfMatch.ANY && expectedVersion != state.configVersion) {
            throw ProblemException.preconditionFailed("the split configuration is at version " + state.configVersion
                    + ", you sent " + expectedVersion, List.of());
        }
        state.strategy = request.strategy();
        state.valFraction = request.valFraction();
        state.seed = request.seed() == null ? state.seed : request.seed();
        state.maxItems = request.maxItems();
        state.frozenValVersion = frozen;
        state.configVersion++;
        state.changed(Instant.now());
        return VersionedConfig.of(state);
    }

    /** The version to freeze val at (null: none), or 422 naming frozenValVersion: it must be one of this project's. */
    private UUID frozenValVersion(UUID projectId, String requested) {
        if (requested == null) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(requested);
        } catch (IllegalArgumentException e) {
            throw ProblemException.unprocessable("frozenValVersion", "must be a version id (UUID) of this project, or null");
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT v.project_id, (SELECT count(*) FROM version_item i WHERE i.version_id = v.version_id AND i.side = 'val')
                        FROM dataset_version v WHERE v.version_id = ?1""")
                .setParameter(1, id).getResultList();
        if (rows.isEmpty() || !projectId.equals(rows.getFirst()[0])) {
            throw ProblemException.unprocessable("frozenValVersion", "no version " + id + " in project " + projectId);
        }
        if (((Number) rows.getFirst()[1]).longValue() == 0) {
            throw ProblemException.unprocessable("frozenValVersion", "version " + id + " has no validation items to freeze");
        }
        return id;
    }

    /**
     * Freezes the validation side at the project's latest version that has validation items, unless it is frozen
     * already (or there is no such version); the configuration version moves as with a PUT. Returns the version
     * frozen at, or null when nothing changed. The caller refreshes ({@link #refreshNow}) after its transaction.
     */
    @Transactional
    public UUID freezeValidationIfUnfrozen(UUID projectId) {
        SplitState state = em.find(SplitState.class, projectId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (state == null) {
            throw ProblemException.notFound("project", projectId);
        }
        if (state.frozenValVersion != null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        List<UUID> latest = em.createNativeQuery("""
                        SELECT v.version_id FROM dataset_version v
                        WHERE v.project_id = ?1 AND EXISTS (SELECT 1 FROM version_item i WHERE i.version_id = v.version_id
                                                             AND i.side = 'val')
                        ORDER BY v.created_at DESC LIMIT 1""", UUID.class)
                .setParameter(1, projectId).getResultList();
        if (latest.isEmpty()) {
            return null;
        }
        state.frozenValVersion = latest.getFirst();
        state.configVersion++;
        state.changed(Instant.now());
        return state.frozenValVersion;
    }

    /** After a configuration change: refresh at once instead of waiting for the worker's next round. */
    public void refreshNow(UUID projectId) {
        refresher.refresh(projectId);
        refresher.wake();
    }
}
