package dev.loupe.dataset.split;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.common.outbox.Outbox;
import dev.loupe.dataset.client.EmbeddingClient;
import dev.loupe.dataset.config.DatasetConfig;
import dev.loupe.dataset.webhook.WebhookService;
import dev.loupe.events.EventType;
import dev.loupe.events.SplitRefreshed;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every project's split current. Changes mark a project (see {@link ItemStateService}); this worker refreshes
 * a marked project at once when it was not refreshed within the last {@code refresh-debounce} (and five times its
 * last refresh's duration), otherwise once it has been quiet for {@code refresh-debounce}, or at the latest
 * {@code refresh-max-delay} after its first pending change: a single change goes straight through, a burst (a bulk
 * relabel, an import) costs a few refreshes, not one per change. A refresh recomputes the
 * split from the database (items, styles, the previous sides), never from memory, so a restart changes nothing.
 */
@ApplicationScoped
public class SplitRefresher {

    private static final Logger LOG = Logger.getLogger(SplitRefresher.class);
    private static final long STYLE_RETRY_MILLIS = 5_000;
    /** Least time between two reads of one project's styles: during an import the embedding service updates often. */
    private static final long STYLE_MIN_INTERVAL_MILLIS = 2_000;

    private final EntityManager em;
    private final SplitStates states;
    private final EmbeddingClient embedding;
    private final Outbox outbox;
    private final SplitWatch watch;
    private final DatasetConfig config;
    private final ObjectMapper json;
    private final WebhookService webhooks;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Map<UUID, Long> styleRetryAt = new ConcurrentHashMap<>();
    private final Map<UUID, Long> lastRefreshAt = new ConcurrentHashMap<>();
    private final Map<UUID, Long> refreshMillis = new ConcurrentHashMap<>();
    private final Set<UUID> styleFetches = ConcurrentHashMap.newKeySet();
    // style reads run beside the refresher: a slow embedding service must not delay label-change refreshes
    private final ExecutorService styleReader = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("loupe-style-reader").daemon().factory());
    private volatile boolean running;
    private Thread worker;
    private final io.micrometer.core.instrument.Timer refreshTimer;

    public SplitRefresher(EntityManager em, SplitStates states, EmbeddingClient embedding, Outbox outbox,
                          SplitWatch watch, DatasetConfig config, ObjectMapper json, WebhookService webhooks,
                          io.micrometer.core.instrument.MeterRegistry registry) {
        this.refreshTimer = io.micrometer.core.instrument.Timer.builder("loupe.dataset.split.refresh")
                .description("Time to recompute and store one project's split (reading items, planning, writing, events)")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        this.em = em;
        this.states = states;
        this.embedding = embedding;
        this.outbox = outbox;
        this.watch = watch;
        this.config = config;
        this.json = json;
        this.webhooks = webhooks;
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        worker = Thread.ofPlatform().name("loupe-split-refresher").daemon().start(this::loop);
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        styleReader.shutdownNow();
        if (worker != null) {
            worker.interrupt();
        }
    }

    /** A change committed: look for due projects now. */
    public void wake() {
        wakeUp.release();
    }

    private void loop() {
        while (running) {
            try {
                long nextDue = refreshDue();
                wakeUp.tryAcquire(Math.max(5, Math.min(nextDue, 1000)), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "Split refresh failed; retrying");
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Refreshes every due project; returns milliseconds until the next one may be due. */
    long refreshDue() throws InterruptedException {
        Instant now = Instant.now();
        @SuppressWarnings("unchecked")
        List<Object[]> pending = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                SELECT project_id, last_change_at, first_change_at, styles_stale FROM split_state
                WHERE changes > changes_refreshed OR config_version > config_applied OR styles_stale""").getResultList());
        long nextDue = 1000;
        for (Object[] row : pending) {
            UUID project = (UUID) row[0];
            Instant last = row[1] == null ? now : instant(row[1]);
            Instant first = row[2] == null ? now : instant(row[2]);
            long quietFor = now.toEpochMilli() - last.toEpochMilli();
            long waitingFor = now.toEpochMilli() - first.toEpochMilli();
            long debounce = config.refreshDebounce().toMillis();
            // leading edge: a change to a project that has not been refreshed for a while is refreshed at once (one
            // label change is in the split in one consumer hop); inside a burst the trailing debounce applies, and
            // refreshes of a project are at least 5x their own duration apart, so a big project is not recomputed
            // back to back
            Long lastRefresh = lastRefreshAt.get(project);
            long sinceRefresh = lastRefresh == null ? Long.MAX_VALUE : now.toEpochMilli() - lastRefresh;
            long spacing = Math.max(debounce, 5 * refreshMillis.getOrDefault(project, 0L));
            boolean due = row[1] == null || quietFor >= debounce || waitingFor >= config.refreshMaxDelay().toMillis()
                    || sinceRefresh >= spacing;
            if ((Boolean) row[3] && styleFetches.add(project)) {
                styleReader.execute(() -> {
                    try {
                        fetchStyles(project);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "Reading the styles of project %s failed", project);
                    } finally {
                        styleFetches.remove(project);
                    }
                });
            }
            if (due) {
                refresh(project);
            } else {
                nextDue = Math.min(nextDue, Math.min(debounce - quietFor, spacing - sinceRefresh));
            }
        }
        return nextDue;
    }

    /** A timestamptz column of a native query, whichever type the driver maps it to. */
    private static Instant instant(Object value) {
        return switch (value) {
            case Instant i -> i;
            case java.time.OffsetDateTime o -> o.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("unexpected time type " + value.getClass());
        };
    }

    /**
     * Reads clusters and near duplicates from the embedding service and stores them. When it is unreachable the
     * split goes on with what is stored (unknown styles count as one), and the fetch is retried a few seconds later.
     */
    void fetchStyles(UUID project) throws InterruptedException {
        Long retryAt = styleRetryAt.get(project);
        if (retryAt != null && System.currentTimeMillis() < retryAt) {
            return;
        }
        // clear the flag first: an EmbeddingsUpdated that arrives during the fetch sets it again
        QuarkusTransaction.requiringNew().run(() -> states.lockOrCreate(project, Instant.now()).stylesStale = false);
        EmbeddingClient.Styles styles;
        try {
            styles = embedding.styles(project);
        } catch (IOException e) {
            LOG.warnf("Styles of project %s not available (%s); the split uses the stored ones, retry in %d s",
                    project, e.getMessage(), STYLE_RETRY_MILLIS / 1000);
            styleRetryAt.put(project, System.currentTimeMillis() + STYLE_RETRY_MILLIS);
            QuarkusTransaction.requiringNew().run(() -> states.lockOrCreate(project, Instant.now()).stylesStale = true);
            return;
        }
        // the next read waits a little: an import announces new vectors many times a second
        styleRetryAt.put(project, System.currentTimeMillis() + STYLE_MIN_INTERVAL_MILLIS);
        QuarkusTransaction.requiringNew().run(() -> {
            SplitState state = states.lockOrCreate(project, Instant.now());
            if (sameAsStored(project, styles)) {
                // a relabel announces new embeddings too, mostly with the same styles: no refresh for nothing
                return;
            }
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
                    for (UUID[] pair : styles.nearDuplicates()) {
                        insert.setObject(1, project);
                        insert.setObject(2, pair[0]);
                        insert.setObject(3, pair[1]);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            });
            state.changed(Instant.now());
        });
        wake();
    }

    private boolean sameAsStored(UUID project, EmbeddingClient.Styles styles) {
        @SuppressWarnings("unchecked")
        List<Object[]> clusters = em.createNativeQuery("SELECT item_id, cluster FROM style WHERE project_id = ?1")
                .setParameter(1, project).getResultList();
        Map<UUID, Integer> stored = new HashMap<>();
        clusters.forEach(r -> stored.put((UUID) r[0], ((Number) r[1]).intValue()));
        if (!stored.equals(styles.clusters())) {
            return false;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> pairs = em.createNativeQuery("SELECT item_a, item_b FROM near_duplicate WHERE project_id = ?1")
                .setParameter(1, project).getResultList();
        Set<List<UUID>> storedPairs = new java.util.HashSet<>();
        pairs.forEach(r -> storedPairs.add(List.of((UUID) r[0], (UUID) r[1])));
        Set<List<UUID>> fetchedPairs = new java.util.HashSet<>();
        styles.nearDuplicates().forEach(p -> fetchedPairs.add(List.of(p[0], p[1])));
        return storedPairs.equals(fetchedPairs);
    }

    /** Refreshes one project's split in its own transaction, then wakes waiting requests. */
    public void refresh(UUID project) {
        boolean done = QuarkusTransaction.requiringNew().call(() -> {
            SplitState state = states.lockOrCreate(project, Instant.now());
            if (state.changes == state.changesRefreshed && state.configApplied == state.configVersion) {
                return false;
            }
            refreshLocked(state);
            return true;
        });
        if (done) {
            watch.refreshed();
        }
    }

    /** The items a derived image was made from (its provenance's parents); empty for originals. */
    private List<UUID> parents(UUID itemId, String provenance) {
        if (provenance == null) {
            return List.of();
        }
        try {
            List<UUID> parents = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode p : json.readTree(provenance).path("parents")) {
                parents.add(UUID.fromString(p.get("itemId").asText()));
            }
            // a derived item without known parents still trains only: it is its own parent
            return parents.isEmpty() ? List.of(itemId) : parents;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Item %s: unreadable provenance, treated as derived without parents: %s", itemId, e.getMessage());
            return List.of(itemId);
        }
    }

    /** Recomputes the split of a project whose state the caller holds locked; publishes SplitRefreshed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void refreshLocked(SplitState state) {
        long started = System.nanoTime();
        UUID project = state.projectId;
        Instant now = Instant.now();
        SplitPlanner.Config splitConfig = new SplitPlanner.Config(SplitPlanner.Strategy.fromWire(state.strategy).orElseThrow(),
                state.valFraction, state.seed, state.maxItems);

        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT i.item_id, i.label, i.sha256, i.original_split, COALESCE(s.cluster, -1), i.version,
                               CASE WHEN i.source IN ('augmented', 'synthetic') THEN i.provenance END
                        FROM item i LEFT JOIN style s ON s.item_id = i.item_id
                        WHERE i.project_id = ?1 AND NOT i.excluded""")
                .setParameter(1, project).getResultList();
        List<SplitPlanner.Item> items = new ArrayList<>(rows.size());
        Map<UUID, String> labels = new HashMap<>();
        Map<UUID, Long> versions = new HashMap<>();
        Map<UUID, Integer> clusters = new HashMap<>();
        for (Object[] r : rows) {
            UUID id = (UUID) r[0];
            int cluster = ((Number) r[4]).intValue();
            items.add(new SplitPlanner.Item(id, (String) r[1], ((String) r[2]).trim(), (String) r[3], cluster,
                    parents(id, (String) r[6])));
            labels.put(id, (String) r[1]);
            versions.put(id, ((Number) r[5]).longValue());
            clusters.put(id, cluster);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> pairs = em.createNativeQuery("SELECT item_a, item_b FROM near_duplicate WHERE project_id = ?1")
                .setParameter(1, project).getResultList();
        List<UUID[]> nearDuplicates = pairs.stream().map(p -> new UUID[]{(UUID) p[0], (UUID) p[1]}).toList();

        @SuppressWarnings("unchecked")
        List<Object[]> assigned = em.createNativeQuery(
                        "SELECT item_id, side, label, cluster, item_version FROM assignment WHERE project_id = ?1")
                .setParameter(1, project).getResultList();
        Map<UUID, SplitPlanner.Side> previous = new HashMap<>();
        Map<UUID, Object[]> previousRows = new HashMap<>();
        for (Object[] a : assigned) {
            previous.put((UUID) a[0], SplitPlanner.Side.valueOf(((String) a[1]).toUpperCase()));
            previousRows.put((UUID) a[0], a);
        }
        // A new configuration (strategy, fraction, seed, cap) starts from scratch; otherwise stay close to before.
        boolean fresh = state.configApplied != state.configVersion;
        SplitPlanner.Plan plan = SplitPlanner.plan(items, nearDuplicates, splitConfig, fresh ? Map.of() : previous);

        List<UUID> removed = previous.keySet().stream().filter(id -> !plan.sides().containsKey(id)).toList();
        List<Object[]> upserts = new ArrayList<>();
        plan.sides().forEach((id, side) -> {
            Object[] before = previousRows.get(id);
            String wire = side.wire();
            if (before == null || !wire.equals(before[1]) || !labels.get(id).equals(before[2])
                    || clusters.get(id) != ((Number) before[3]).intValue() || versions.get(id) != ((Number) before[4]).longValue()) {
                upserts.add(new Object[]{id, wire, labels.get(id), clusters.get(id), versions.get(id)});
            }
        });
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM assignment WHERE item_id = ?")) {
                for (UUID id : removed) {
                    delete.setObject(1, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO assignment (item_id, project_id, side, label, cluster, item_version) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (item_id) DO UPDATE SET side = EXCLUDED.side, label = EXCLUDED.label,
                    cluster = EXCLUDED.cluster, item_version = EXCLUDED.item_version""")) {
                for (Object[] u : upserts) {
                    upsert.setObject(1, u[0]);
                    upsert.setObject(2, project);
                    upsert.setString(3, (String) u[1]);
                    upsert.setString(4, (String) u[2]);
                    upsert.setInt(5, (Integer) u[3]);
                    upsert.setLong(6, (Long) u[4]);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });

        // removed (excluded) items also count as moved: they left the split
        List<java.util.UUID> moved = new ArrayList<>(plan.moved());
        moved.addAll(removed);
        moved.sort(null);
        Map<String, Map<String, Integer>> counts = plan.counts(labels);
        state.splitVersion++;
        state.counts = write(counts);
        state.leftOut = (int) plan.sides().values().stream().filter(s -> s == SplitPlanner.Side.OUT).count();
        state.changesRefreshed = state.changes;
        state.configApplied = state.configVersion;
        state.splitLabelsSeen = state.labelsSeen;
        state.firstChangeAt = null;
        state.generatedAt = now;
        state.updatedAt = now;
        SplitRefreshed event = new SplitRefreshed(project, state.splitVersion, state.strategy, counts,
                moved.subList(0, Math.min(moved.size(), SplitRefreshed.MAX_MOVED_IDS)), moved.size(), plan.newlyAssigned(),
                state.labelsSeen, now);
        outbox.publish(event, now);
        webhooks.enqueue(project, EventType.SPLIT_REFRESHED.wireName(), write(event));
        long millis = (System.nanoTime() - started) / 1_000_000;
        lastRefreshAt.put(project, System.currentTimeMillis());
        refreshMillis.put(project, millis);
        refreshTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        LOG.debugf("Split of project %s v%d: %d items, %d moved, %d new, %d ms", project, state.splitVersion,
                items.size(), moved.size(), plan.newlyAssigned(), millis);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
