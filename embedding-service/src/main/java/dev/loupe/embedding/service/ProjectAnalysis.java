package dev.loupe.embedding.service;

import dev.loupe.embedding.analysis.Duplicates;
import dev.loupe.embedding.analysis.LabelIssues;
import dev.loupe.embedding.analysis.MapProjector;
import dev.loupe.embedding.analysis.Neighbors;
import dev.loupe.embedding.analysis.OutOfFold;
import dev.loupe.embedding.analysis.Outliers;
import dev.loupe.embedding.analysis.Shift;
import dev.loupe.embedding.analysis.StyleClusters;
import dev.loupe.embedding.analysis.VectorIndex;
import dev.loupe.embedding.config.EmbeddingConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A project's vectors in memory with everything derived from them: the k-NN graph, findings, style clusters and
 * the 2-D map. Rows are loaded at start and then patched item by item after each committed change (never reloaded
 * whole); a snapshot of them is rebuilt lazily after a change; the map is recomputed in full only after a quiet period
 * (debounced, one run at a time), and until then new points are placed at the mean position of their nearest
 * already-mapped neighbours, so an added image shows up at once.
 */
@ApplicationScoped
public class ProjectAnalysis {

    private static final Logger LOG = Logger.getLogger(ProjectAnalysis.class);
    static final int K = 10;

    /** The data of one moment, with derived results computed on first use. */
    public final class Snapshot {
        public final UUID projectId;
        public final long stamp;
        public final List<VectorStore.Row> rows;
        public final Map<UUID, Integer> rowOf = new HashMap<>();
        public final VectorIndex index;
        private Neighbors[] graph;
        private List<Duplicates.Pair> duplicates;
        private Findings findings;
        private int[] clusters;

        Snapshot(UUID projectId, long stamp, List<VectorStore.Row> rows) {
            this.projectId = projectId;
            this.stamp = stamp;
            this.rows = rows;
            float[][] vectors = new float[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                vectors[i] = rows.get(i).vector();
                rowOf.put(rows.get(i).itemId(), i);
            }
            this.index = new VectorIndex(vectors);
        }

        public synchronized Neighbors[] graph() {
            if (graph == null) {
                graph = index.graph(Math.min(K, Math.max(0, rows.size() - 1)));
            }
            return graph;
        }

        /** Exact and near duplicate pairs: only the k-NN graph, none of the classifiers of {@link #findings()}. */
        public synchronized List<Duplicates.Pair> duplicates() {
            if (duplicates == null) {
                String[] hashes = rows.stream().map(VectorStore.Row::sha256).toArray(String[]::new);
                duplicates = Duplicates.find(hashes, graph(), config.nearDuplicateDistance());
            }
            return duplicates;
        }

        public synchronized Findings findings() {
            if (findings == null) {
                findings = computeFindings(this);
            }
            return findings;
        }

        /** Style cluster per row, numbered within each class. */
        public synchronized int[] clusters() {
            if (clusters == null) {
                clusters = computeClusters(this);
            }
            return clusters;
        }
    }

    /**
     * Everything the findings endpoint shows, for one snapshot.
     *
     * @param model per row, the trained model's out-of-fold probabilities in the order of {@code classes} (null rows:
     *              the model did not see the item); null when the project has no {@link ModelPredictions}
     * @param modelSource the set the model rows come from, or null
     */
    public record Findings(List<LabelIssues.Issue> labelIssues, Outliers.Score[] outliers, List<Duplicates.Pair> duplicates,
                           double shiftAuc, Shift.Region[] regions, int[] region, List<String> classes, double[][] model,
                           ModelPredictions.Summary modelSource) {
    }

    /** Weight of the trained model's probabilities against the embedding classifier's, where both exist. */
    static final double MODEL_WEIGHT = 0.75;

    /** A computed map: coordinates of the items it was computed from. */
    public record MapLayout(long version, Map<UUID, double[]> positions, long computedAt) {
    }

    static final java.time.Duration MAX_MAP_DELAY = java.time.Duration.ofSeconds(60);

    private final VectorStore vectors;
    private final EmbedderHolder embedder;
    private final EmbeddingConfig config;
    private final Map<UUID, Live> live = new ConcurrentHashMap<>();
    private final Map<UUID, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicLong> stamps = new ConcurrentHashMap<>();
    private final Map<UUID, MapLayout> maps = new ConcurrentHashMap<>();
    private final Map<UUID, ScheduledFuture<?>> pendingMaps = new ConcurrentHashMap<>();
    private final ScheduledExecutorService mapper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("loupe-map").daemon().factory());

    private final ModelPredictions predictions;
    private final Map<UUID, java.util.Optional<Instant>> predictionsSeen = new ConcurrentHashMap<>();

    public ProjectAnalysis(VectorStore vectors, EmbedderHolder embedder, EmbeddingConfig config, ModelPredictions predictions) {
        this.predictions = predictions;
        this.vectors = vectors;
        this.embedder = embedder;
        this.config = config;
    }

    void onStop(@Observes ShutdownEvent event) {
        mapper.shutdownNow();
    }

    /**
     * Loads every project's vectors into memory at start, on a background thread so that readiness does not wait
     * for a large store; a request that comes first loads its project itself.
     */
    void onStart(@Observes StartupEvent event) {
        Thread.ofPlatform().name("loupe-vectors-load").daemon().start(() -> {
            long started = System.nanoTime();
            try {
                List<UUID> projects = QuarkusTransaction.requiringNew().call(vectors::projects);
                int rows = 0;
                for (UUID project : projects) {
                    rows += live(project).rows.size();
                }
                LOG.infof("Loaded %d vectors of %d projects in %d ms", rows, projects.size(),
                        (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Loading vectors at start failed; projects load on first use");
            }
        });
    }

    /**
     * Items were added, embedded, removed or restored (call after the change committed): their rows are re-read,
     * and the map gets a new full run after the quiet period.
     */
    public void itemsChanged(UUID projectId, Collection<UUID> itemIds) {
        labelsChanged(projectId, itemIds);
        pendingMaps.compute(projectId, (id, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return mapper.schedule(() -> recomputeWhenQuiet(id), config.mapDebounce().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** Labels changed (after commit): the items' rows are re-read; findings and colours are stale, positions are not. */
    public void labelsChanged(UUID projectId, Collection<UUID> itemIds) {
        // computeIfPresent waits for a load of the same project in progress, so a change that committed while the
        // load was reading is applied after it, not lost
        live.computeIfPresent(projectId, (id, project) -> {
            project.refresh(itemIds);
            return project;
        });
        stamps.computeIfAbsent(projectId, id -> new AtomicLong()).incrementAndGet();
        snapshots.remove(projectId);
    }

    /**
     * Another replica (or this one: the announcement comes back to everyone) changed these items and said so in
     * EmbeddingsUpdated. A project this replica holds in memory re-reads them; when that adds or removes points, the map
     * gets a new run after the quiet period, like a local change. Projects not in memory load fresh on first use.
     */
    public void peerChanged(UUID projectId, Collection<UUID> itemIds) {
        boolean[] membership = {false};
        live.computeIfPresent(projectId, (id, project) -> {
            membership[0] = project.refresh(itemIds);
            return project;
        });
        if (!live.containsKey(projectId)) {
            return;
        }
        stamps.computeIfAbsent(projectId, id -> new AtomicLong()).incrementAndGet();
        snapshots.remove(projectId);
        if (membership[0]) {
            pendingMaps.compute(projectId, (id, previous) -> {
                if (previous != null) {
                    previous.cancel(false);
                }
                return mapper.schedule(() -> recomputeWhenQuiet(id), config.mapDebounce().toMillis(), TimeUnit.MILLISECONDS);
            });
        }
    }

    /**
     * Findings of this replica are stale when the project's model predictions changed since they were computed (on
     * any replica: the set is in the database): one indexed lookup, made before serving findings.
     */
    public void checkModelPredictions(UUID projectId) {
        java.util.Optional<Instant> current = java.util.Optional.ofNullable(predictions.receivedAt(projectId));
        java.util.Optional<Instant> seen = predictionsSeen.put(projectId, current);
        if (seen != null && !seen.equals(current)) {
            stamps.computeIfAbsent(projectId, id -> new AtomicLong()).incrementAndGet();
            snapshots.remove(projectId);
        }
    }

    /** The project's rows in memory, loaded from the store on first use. */
    private Live live(UUID projectId) {
        return live.computeIfAbsent(projectId, Live::new);
    }

    /** The embedded, included rows of one project, kept current by re-reading only the items that changed. */
    private final class Live {
        final UUID projectId;
        final TreeMap<UUID, VectorStore.Row> rows = new TreeMap<>();

        Live(UUID projectId) {
            this.projectId = projectId;
            QuarkusTransaction.requiringNew().call(() -> vectors.project(projectId, embedder.id()))
                    .forEach(row -> rows.put(row.itemId(), row));
        }

        /**
         * Re-reads the items and applies what the store says now. Reads and applies under one lock, so concurrent
         * refreshes (the event consumer and the embedding worker) apply in the order they read: the last one wins
         * with the newest state.
         */
        /** @return true when points were added or removed (not only relabelled) */
        synchronized boolean refresh(Collection<UUID> itemIds) {
            if (itemIds.isEmpty()) {
                return false;
            }
            List<VectorStore.Row> current = QuarkusTransaction.requiringNew()
                    .call(() -> vectors.items(projectId, embedder.id(), itemIds));
            java.util.Set<UUID> before = new java.util.HashSet<>();
            itemIds.forEach(id -> {
                if (rows.remove(id) != null) before.add(id);
            });
            current.forEach(row -> rows.put(row.itemId(), row));
            return before.size() != current.size() || current.stream().anyMatch(r -> !before.contains(r.itemId()));
        }

        synchronized List<VectorStore.Row> copy() {
            return new ArrayList<>(rows.values());
        }
    }

    public Snapshot snapshot(UUID projectId) {
        long stamp = stamps.computeIfAbsent(projectId, id -> new AtomicLong()).get();
        Snapshot current = snapshots.get(projectId);
        if (current != null && current.stamp == stamp) {
            return current;
        }
        Snapshot fresh = new Snapshot(projectId, stamp, live(projectId).copy());
        snapshots.put(projectId, fresh);
        return fresh;
    }

    /**
     * Positions of every embedded, included item: from the last full run, or placed near their neighbours when
     * they arrived after it. Starts a full run when there is none yet.
     */
    public MapLayout map(UUID projectId) {
        Snapshot snapshot = snapshot(projectId);
        MapLayout full = maps.get(projectId);
        if (full == null && snapshot.rows.size() >= 3) {
            full = recomputeMap(projectId);
        }
        Map<UUID, double[]> positions = new HashMap<>();
        long version = full == null ? 0 : full.version();
        for (int row = 0; row < snapshot.rows.size(); row++) {
            UUID id = snapshot.rows.get(row).itemId();
            double[] known = full == null ? null : full.positions().get(id);
            positions.put(id, known != null ? known : place(snapshot, row, full));
        }
        return new MapLayout(version, positions, full == null ? 0 : full.computedAt());
    }

    private double[] place(Snapshot snapshot, int row, MapLayout full) {
        if (full == null) {
            return new double[]{0, 0};
        }
        // nearest neighbours that have a position from the full run (newer ones are skipped)
        Neighbors near = snapshot.index.nearest(snapshot.index.vector(row), 2 * MapProjector.PLACEMENT_NEIGHBORS, row);
        double[][] positions = new double[MapProjector.PLACEMENT_NEIGHBORS][];
        float[] distances = new float[MapProjector.PLACEMENT_NEIGHBORS];
        int used = 0;
        for (int j = 0; j < near.size() && used < positions.length; j++) {
            double[] p = full.positions().get(snapshot.rows.get(near.index()[j]).itemId());
            if (p != null) {
                positions[used] = p;
                distances[used++] = near.distance()[j];
            }
        }
        return MapProjector.place(new Neighbors(java.util.stream.IntStream.range(0, used).toArray(),
                java.util.Arrays.copyOf(distances, used)), positions);
    }

    /**
     * A full run costs seconds per thousand points: while items of the project are still being embedded (a bulk
     * import), new points are placed by their neighbours and the full run waits, but never longer than
     * {@link #MAX_MAP_DELAY}, so a long import still shows a fresh map now and then.
     */
    private void recomputeWhenQuiet(UUID projectId) {
        MapLayout last = maps.get(projectId);
        boolean overdue = last == null || System.nanoTime() - last.computedAt() > MAX_MAP_DELAY.toNanos();
        long pending = QuarkusTransaction.requiringNew().call(() -> dev.loupe.embedding.domain.EmbeddedItem.count(
                "projectId = ?1 and status = ?2", projectId, dev.loupe.embedding.domain.EmbeddedItem.Status.PENDING));
        if (pending > 0 && !overdue) {
            itemsChanged(projectId, List.of());
            return;
        }
        recomputeMap(projectId);
    }

    private synchronized MapLayout recomputeMap(UUID projectId) {
        pendingMaps.remove(projectId);
        Snapshot snapshot = snapshot(projectId);
        if (snapshot.rows.size() < 3) {
            return null;
        }
        long started = System.nanoTime();
        float[][] data = new float[snapshot.rows.size()][];
        for (int i = 0; i < data.length; i++) {
            data[i] = snapshot.rows.get(i).vector();
        }
        MapProjector.Projection projection = new MapProjector(new MapProjector.Settings(config.mapNeighbors(), config.mapPcaDimensions(),
                config.mapEpochs(), 0.1, 42, config.mapExactGraphLimit(), config.mapGraphProbes(),
                config.mapMaxUmapPoints())).projectTimed(data);
        double[][] xy = projection.xy();
        Map<UUID, double[]> positions = new HashMap<>();
        for (int i = 0; i < xy.length; i++) {
            positions.put(snapshot.rows.get(i).itemId(), xy[i]);
        }
        MapLayout previous = maps.get(projectId);
        MapLayout layout = new MapLayout(previous == null ? 1 : previous.version() + 1, positions, System.nanoTime());
        maps.put(projectId, layout);
        LOG.infof("Map of project %s: %d points in %d ms (%s)", projectId, xy.length, (System.nanoTime() - started) / 1_000_000,
                projection);
        return layout;
    }

    private Findings computeFindings(Snapshot s) {
        int n = s.rows.size();
        List<String> classes = new ArrayList<>(new TreeSet<>(s.rows.stream().map(VectorStore.Row::label).toList()));
        Map<String, Integer> classIndex = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            classIndex.put(classes.get(c), c);
        }
        int[] labels = new int[n];
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            labels[i] = classIndex.get(s.rows.get(i).label());
            x[i] = toDouble(s.rows.get(i).vector());
        }
        Neighbors[] graph = s.graph();
        java.util.Optional<ModelPredictions.Set> modelSet = predictions.load(s.projectId);
        predictionsSeen.put(s.projectId, modelSet.map(m -> m.summary().receivedAt()));
        double[][] model = modelSet.map(m -> modelRows(m, s, classes)).orElse(null);
        List<LabelIssues.Issue> issues = List.of();
        if (classes.size() >= 2 && n >= 10) {
            double[][] p = OutOfFold.probabilities(x, labels, classes.size(), 5, 42, 0.1);
            if (model != null) {
                p = blend(p, model);
            }
            issues = LabelIssues.find(p, labels, classes.size(), graph);
        }
        Outliers.Score[] outliers = n >= 3 ? Outliers.scores(graph) : new Outliers.Score[0];
        List<Duplicates.Pair> duplicates = s.duplicates();

        List<Integer> trainVal = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String split = s.rows.get(i).split();
            if ("train".equals(split) || "val".equals(split)) {
                trainVal.add(i);
            }
        }
        double auc = 0.5;
        Shift.Region[] regions = new Shift.Region[0];
        int[] region = new int[n];
        if (trainVal.size() >= 20) {
            double[][] tx = new double[trainVal.size()][];
            boolean[] isVal = new boolean[trainVal.size()];
            for (int j = 0; j < trainVal.size(); j++) {
                tx[j] = x[trainVal.get(j)];
                isVal[j] = "val".equals(s.rows.get(trainVal.get(j)).split());
            }
            auc = Shift.auc(tx, isVal, 5, 42);
            int k = Math.max(2, Math.min(20, (int) Math.round(Math.sqrt(n / 20.0))));
            region = StyleClusters.assign(x, k, 42);
            int[] trainValRegion = new int[trainVal.size()];
            for (int j = 0; j < trainVal.size(); j++) {
                trainValRegion[j] = region[trainVal.get(j)];
            }
            regions = Shift.regions(trainValRegion, isVal, k);
        }
        return new Findings(issues, outliers, duplicates, auc, regions, region, classes, model,
                modelSet.map(ModelPredictions.Set::summary).orElse(null));
    }

    /** The model's probabilities per row, re-ordered to {@code classes} (a class the model does not know: 0). */
    static double[][] modelRows(ModelPredictions.Set set, Snapshot s, List<String> classes) {
        List<String> modelClasses = set.summary().classes();
        int[] from = new int[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            from[c] = modelClasses.indexOf(classes.get(c));
        }
        double[][] rows = new double[s.rows.size()][];
        for (int i = 0; i < rows.length; i++) {
            float[] p = set.probabilities().get(s.rows.get(i).itemId());
            if (p == null) {
                continue;
            }
            double[] row = new double[classes.size()];
            double sum = 0;
            for (int c = 0; c < row.length; c++) {
                row[c] = from[c] < 0 ? 0 : p[from[c]];
                sum += row[c];
            }
            if (sum <= 0) {
                continue;
            }
            for (int c = 0; c < row.length; c++) {
                row[c] /= sum;
            }
            rows[i] = row;
        }
        return rows;
    }

    /**
     * The confident-learning input: where the trained model predicted an item (out of fold), its probabilities weigh
     * {@link #MODEL_WEIGHT}, the embedding classifier's the rest; elsewhere the embedding classifier's alone.
     */
    static double[][] blend(double[][] embedding, double[][] model) {
        double[][] out = new double[embedding.length][];
        for (int i = 0; i < embedding.length; i++) {
            if (model[i] == null) {
                out[i] = embedding[i];
                continue;
            }
            out[i] = new double[embedding[i].length];
            for (int c = 0; c < out[i].length; c++) {
                out[i][c] = MODEL_WEIGHT * model[i][c] + (1 - MODEL_WEIGHT) * embedding[i][c];
            }
        }
        return out;
    }

    private int[] computeClusters(Snapshot s) {
        int[] cluster = new int[s.rows.size()];
        Map<String, List<Integer>> byLabel = new HashMap<>();
        for (int i = 0; i < s.rows.size(); i++) {
            byLabel.computeIfAbsent(s.rows.get(i).label(), l -> new ArrayList<>()).add(i);
        }
        byLabel.forEach((label, members) -> {
            double[][] x = new double[members.size()][];
            for (int j = 0; j < members.size(); j++) {
                x[j] = toDouble(s.rows.get(members.get(j)).vector());
            }
            int[] group = StyleClusters.assign(x, StyleClusters.clusterCount(members.size(), 8), 42);
            for (int j = 0; j < members.size(); j++) {
                cluster[members.get(j)] = group[j];
            }
        });
        return cluster;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
