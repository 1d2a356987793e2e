package dev.loupe.embedding.service;

import dev.loupe.embedding.analysis.MapLayout;
import dev.loupe.embedding.analysis.MapProjector;
import dev.loupe.embedding.analysis.ProjectSnapshot;
import dev.loupe.embedding.config.EmbeddingConfig;
import dev.loupe.embedding.domain.EmbeddedItem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The map builder: a project's 2-D map (UMAP) is recomputed in full only after a quiet period (debounced, one run at
 * a time on one thread); until then new points are placed near their already-mapped neighbours
 * ({@link MapLayout#covering}), so an added image shows up at once.
 */
@ApplicationScoped
public class ProjectMaps {

    private static final Logger LOG = Logger.getLogger(ProjectMaps.class);

    /** While a project is still being embedded the full run waits, but never longer than this. */
    static final Duration MAX_MAP_DELAY = Duration.ofSeconds(60);

    /** Fewer points than this have no map to compute. */
    static final int MIN_POINTS = 3;

    private final ProjectSnapshots snapshots;
    private final EmbeddingConfig config;
    private final Map<UUID, MapLayout> maps = new ConcurrentHashMap<>();
    private final Map<UUID, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService mapper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("loupe-map").daemon().factory());

    public ProjectMaps(ProjectSnapshots snapshots, EmbeddingConfig config) {
        this.snapshots = snapshots;
        this.config = config;
    }

    void onStop(@Observes ShutdownEvent event) {
        mapper.shutdownNow();
    }

    /** Points were added or removed: a full run after the quiet period (a change within it starts the wait anew). */
    public void schedule(UUID projectId) {
        pending.compute(projectId, (id, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return mapper.schedule(() -> recomputeWhenQuiet(id), config.mapDebounce().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Positions of every embedded, included item: from the last full run, or placed near their neighbours when
     * they arrived after it. Runs the first full run itself when there is none yet.
     */
    public MapLayout layout(UUID projectId) {
        ProjectSnapshot snapshot = snapshots.current(projectId);
        MapLayout full = maps.get(projectId);
        if (full == null && snapshot.size() >= MIN_POINTS) {
            full = recompute(projectId);
        }
        return (full == null ? MapLayout.NONE : full).covering(snapshot);
    }

    /** The version of the last full run, 0 without one. */
    public long version(UUID projectId) {
        MapLayout full = maps.get(projectId);
        return full == null ? 0 : full.version();
    }

    /**
     * A full run costs seconds per thousand points: while items of the project are still being embedded (a bulk
     * import), new points are placed by their neighbours and the full run waits, but never longer than
     * {@link #MAX_MAP_DELAY}, so a long import still shows a fresh map now and then.
     */
    private void recomputeWhenQuiet(UUID projectId) {
        MapLayout last = maps.get(projectId);
        boolean overdue = last == null || System.nanoTime() - last.computedAt() > MAX_MAP_DELAY.toNanos();
        long embedding = QuarkusTransaction.requiringNew().call(() -> EmbeddedItem.count(
                "projectId = ?1 and status = ?2", projectId, EmbeddedItem.Status.PENDING));
        if (embedding > 0 && !overdue) {
            schedule(projectId);
            return;
        }
        recompute(projectId);
    }

    private synchronized MapLayout recompute(UUID projectId) {
        pending.remove(projectId);
        ProjectSnapshot snapshot = snapshots.current(projectId);
        if (snapshot.size() < MIN_POINTS) {
            return null;
        }
        long started = System.nanoTime();
        float[][] data = new float[snapshot.size()][];
        for (int i = 0; i < data.length; i++) {
            data[i] = snapshot.row(i).vector();
        }
        MapProjector.Projection projection = new MapProjector(new MapProjector.Settings(config.mapNeighbors(),
                config.mapPcaDimensions(), config.mapEpochs(), 0.1, 42, config.mapExactGraphLimit(),
                config.mapGraphProbes(), config.mapMaxUmapPoints())).projectTimed(data);
        double[][] xy = projection.xy();
        Map<UUID, double[]> positions = new HashMap<>();
        for (int i = 0; i < xy.length; i++) {
            positions.put(snapshot.row(i).itemId(), xy[i]);
        }
        MapLayout previous = maps.get(projectId);
        MapLayout layout = new MapLayout(previous == null ? 1 : previous.version() + 1, positions, System.nanoTime());
        maps.put(projectId, layout);
        LOG.infof("Map of project %s: %d points in %d ms (%s)", projectId, xy.length, (System.nanoTime() - started) / 1_000_000,
                projection);
        return layout;
    }
}
