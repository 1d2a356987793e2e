package dev.loupe.embedding.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A project's embedded items at one moment, immutable, with what is derived from them computed on first use and
 * kept for the snapshot's life: the k-NN graph, the classes and features every finder reads, and the results of
 * the services that analyse it ({@link #derived}). A change to the project makes a new snapshot, never edits one.
 */
public final class ProjectSnapshot {

    /** Neighbours per item in the k-NN graph. */
    public static final int K = 10;
    /**
     * Up to this many rows the k-NN graph is exact; above it approximate, with {@link #GRAPH_PROBES} cells searched.
     * The map's graph has the same defaults (loupe.embedding.map-exact-graph-limit, map-graph-probes).
     */
    public static final int EXACT_GRAPH_LIMIT = 20_000;
    public static final int GRAPH_PROBES = 8;
    private static final long GRAPH_SEED = 42;

    /** Names a result derived from a snapshot; compare by identity, so declare each one as a constant. */
    public static final class Key<T> {
        private final String name;

        public Key(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final UUID projectId;
    private final long stamp;
    private final List<ItemVector> rows;
    private final Map<UUID, Integer> rowOf;
    private final VectorIndex index;
    private final Map<Key<?>, CompletableFuture<Object>> derived = new ConcurrentHashMap<>();
    private final Instant takenAt = Instant.now();
    private Neighbors[] graph;
    private List<String> classes;
    private int[] labels;
    private double[][] features;

    private ProjectSnapshot(UUID projectId, long stamp, List<ItemVector> rows, Map<UUID, Integer> rowOf, VectorIndex index) {
        this.projectId = projectId;
        this.stamp = stamp;
        this.rows = List.copyOf(rows);
        this.rowOf = rowOf;
        this.index = index;
    }

    /** @param stamp the project's change count this snapshot reflects */
    public ProjectSnapshot(UUID projectId, long stamp, List<ItemVector> rows) {
        this.projectId = projectId;
        this.stamp = stamp;
        this.rows = List.copyOf(rows);
        this.rowOf = new HashMap<>();
        float[][] vectors = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            vectors[i] = rows.get(i).vector();
            rowOf.put(rows.get(i).itemId(), i);
        }
        this.index = new VectorIndex(vectors);
    }

    /**
     * The snapshot after a change of the project that {@code previous} (may be null) was taken before. The k-NN graph
     * depends on the vectors alone: when every row kept its vector (a relabel, however many items), the previous
     * graph, if computed, is carried over, its row numbers mapped to this snapshot's order, instead of comparing every
     * pair again.
     */
    public static ProjectSnapshot after(ProjectSnapshot previous, UUID projectId, long stamp, List<ItemVector> rows) {
        if (previous != null && sameItemsAndVectors(previous, rows)) {
            // a relabel: the same rows in the same order, so the vector index (all vectors, hundreds of MB on a large
            // project) and the row numbers are shared rather than copied, and the graph needs no remapping
            ProjectSnapshot next = new ProjectSnapshot(projectId, stamp, rows, previous.rowOf, previous.index);
            synchronized (previous) {
                synchronized (next) {
                    next.graph = previous.graph;
                    next.features = previous.features; // read-only, like the index
                }
            }
            return next;
        }
        ProjectSnapshot next = new ProjectSnapshot(projectId, stamp, rows);
        Neighbors[] before = previous == null ? null : previous.computedGraph();
        if (before != null && previous.size() == next.size()) {
            int[] moved = new int[previous.size()];
            for (int i = 0; i < moved.length; i++) {
                Integer row = next.rowOf(previous.row(i).itemId());
                if (row == null || !Arrays.equals(previous.row(i).vector(), next.row(row).vector())) {
                    return next;
                }
                moved[i] = row;
            }
            Neighbors[] graph = new Neighbors[before.length];
            for (int i = 0; i < before.length; i++) {
                int[] index = new int[before[i].size()];
                for (int j = 0; j < index.length; j++) {
                    index[j] = moved[before[i].index()[j]];
                }
                graph[moved[i]] = new Neighbors(index, before[i].distance());
            }
            synchronized (next) {
                next.graph = graph;
            }
        }
        return next;
    }

    private static boolean sameItemsAndVectors(ProjectSnapshot previous, List<ItemVector> rows) {
        if (previous.size() != rows.size()) {
            return false;
        }
        for (int i = 0; i < rows.size(); i++) {
            ItemVector before = previous.row(i);
            ItemVector now = rows.get(i);
            if (!before.itemId().equals(now.itemId())
                    || before.vector() != now.vector() && !Arrays.equals(before.vector(), now.vector())) {
                return false;
            }
        }
        return true;
    }

    private synchronized Neighbors[] computedGraph() {
        return graph;
    }

    public UUID projectId() {
        return projectId;
    }

    public long stamp() {
        return stamp;
    }

    public List<ItemVector> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    public ItemVector row(int row) {
        return rows.get(row);
    }

    /** The row of an item, or null when it is not in the snapshot (not embedded, excluded, unknown). */
    public Integer rowOf(UUID itemId) {
        return rowOf.get(itemId);
    }

    public VectorIndex index() {
        return index;
    }

    /**
     * Each row's {@link #K} nearest other rows (fewer in a tiny project): exact up to {@link #EXACT_GRAPH_LIMIT} rows,
     * above it from {@link ClusteredKnn} (as the map's graph), which at 100,000 rows takes seconds instead of the
     * minutes of comparing every pair. Single neighbour queries stay exact ({@link #index()}).
     */
    public synchronized Neighbors[] graph() {
        if (graph == null) {
            int k = Math.min(K, Math.max(0, rows.size() - 1));
            if (rows.size() <= EXACT_GRAPH_LIMIT) {
                graph = index.graph(k);
            } else {
                float[][] vectors = new float[rows.size()][];
                for (int i = 0; i < vectors.length; i++) {
                    vectors[i] = rows.get(i).vector();
                }
                graph = ClusteredKnn.graph(vectors, k, GRAPH_PROBES, GRAPH_SEED);
            }
        }
        return graph;
    }

    /** The labels present, sorted: class index c is {@code classes().get(c)}. */
    public synchronized List<String> classes() {
        if (classes == null) {
            classes = List.copyOf(new TreeSet<>(rows.stream().map(ItemVector::label).toList()));
        }
        return classes;
    }

    /** Each row's class index into {@link #classes()}. */
    public synchronized int[] labels() {
        if (labels == null) {
            List<String> names = classes();
            Map<String, Integer> classIndex = new HashMap<>();
            for (int c = 0; c < names.size(); c++) {
                classIndex.put(names.get(c), c);
            }
            labels = new int[rows.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = classIndex.get(rows.get(i).label());
            }
        }
        return labels;
    }

    /** The vectors as doubles, the classifiers' input. */
    public synchronized double[][] features() {
        if (features == null) {
            features = new double[rows.size()][];
            for (int i = 0; i < features.length; i++) {
                features[i] = toDouble(rows.get(i).vector());
            }
        }
        return features;
    }

    /** Rows of each label, in row order. */
    public Map<String, List<Integer>> rowsByLabel() {
        Map<String, List<Integer>> byLabel = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            byLabel.computeIfAbsent(rows.get(i).label(), l -> new ArrayList<>()).add(i);
        }
        return byLabel;
    }

    /**
     * The result named {@code key}, computed from this snapshot on first use. Callers asking at once wait for one
     * computation instead of each starting their own; a computation of one key does not hold up readers of another
     * (the findings take seconds on a large project, the items of the review queue milliseconds). A computation that
     * fails is not kept: the next caller tries again.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Key<T> key, Function<ProjectSnapshot, ? extends T> compute) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> known = derived.putIfAbsent(key, mine);
        if (known == null) {
            try {
                mine.complete(compute.apply(this));
            } catch (RuntimeException | Error e) {
                derived.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            known = mine;
        }
        try {
            return (T) known.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The result named {@code key} if it is computed already, else null: never waits, never computes. */
    @SuppressWarnings("unchecked")
    public <T> T computed(Key<T> key) {
        CompletableFuture<Object> known = derived.get(key);
        return known != null && known.isDone() && !known.isCompletedExceptionally() ? (T) known.join() : null;
    }

    /** When this snapshot's rows were read: what its derived results (findings, clusters) reflect. */
    public Instant takenAt() {
        return takenAt;
    }

    public static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
