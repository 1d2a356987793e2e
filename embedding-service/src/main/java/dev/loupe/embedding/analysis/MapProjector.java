package dev.loupe.embedding.analysis;

import smile.feature.extraction.PCA;

/**
 * Projects embeddings to the 2-D map: PCA down to a few dozen dimensions (UMAP's and the graph's cost grow with
 * dimension), a cosine k-NN graph in that space (exact from {@link VectorIndex} for up to
 * {@link Settings#exactGraphLimit()} points, approximate from {@link ClusteredKnn} above; either way every point gets
 * k neighbours, so none is dropped), then UMAP's layout of that graph ({@link UmapLayout}: umap-learn's fuzzy graph and
 * gradient descent on all cores, starting from the first two principal components). Reproducible for a seed up to
 * about 4,000 points; above, the parallel descent makes runs differ slightly (see {@link UmapLayout}).
 *
 * <p>Above {@link Settings#maxUmapPoints()} points, UMAP runs on that many landmarks drawn at random, and every other
 * point is placed at the similarity-weighted mean of its {@link #PLACEMENT_NEIGHBORS} nearest landmarks, the same
 * rule that places a newly added image between full runs. The benchmark compares the result with umap-learn's map of
 * all points.</p>
 */
public final class MapProjector {

    /**
     * @param pcaDimensions   target dimension before the graph and UMAP (ignored when the vectors are already smaller)
     * @param exactGraphLimit up to this many points the k-NN graph is exact, above it {@link ClusteredKnn}
     * @param probes          cells {@link ClusteredKnn} searches per point
     * @param maxUmapPoints   above this many points UMAP runs on this many landmarks and places the rest
     */
    public record Settings(int neighbors, int pcaDimensions, int epochs, double minDist, long seed, int exactGraphLimit,
                           int probes, int maxUmapPoints) {
        public static Settings defaults() {
            return new Settings(15, 32, 200, 0.1, 42, 20_000, 8, 250_000);
        }
    }

    /** Landmarks whose positions place a point that UMAP did not lay out itself. */
    public static final int PLACEMENT_NEIGHBORS = 5;

    private final Settings settings;

    public MapProjector(Settings settings) {
        this.settings = settings;
    }

    /** A map with how long its phases took. */
    public record Projection(double[][] xy, int landmarks, long pcaMillis, long graphMillis, long umapMillis,
                             long placeMillis) {
        @Override
        public String toString() {
            return "PCA " + pcaMillis + " ms, k-NN graph " + graphMillis + " ms, UMAP of " + landmarks + " points "
                    + umapMillis + " ms, placing the others " + placeMillis + " ms";
        }
    }

    /** Returns one (x, y) per input row, in input order. Needs at least 3 points. */
    public double[][] project(float[][] vectors) {
        return projectTimed(vectors).xy();
    }

    /** {@link #project} with the time of each phase. */
    public Projection projectTimed(float[][] vectors) {
        int n = vectors.length;
        if (n < 3) {
            throw new IllegalArgumentException("a map needs at least 3 points, got " + n);
        }
        long t0 = System.nanoTime();
        double[][] reduced = reduce(vectors, settings.pcaDimensions());
        // the first two principal components (of the reduced rows when PCA ran, they are its first two columns)
        double[][] start = reduced[0].length < vectors[0].length ? reduced : reduce(vectors, 2);
        float[][] unit = unit(reduced);
        long t1 = System.nanoTime();
        if (n <= settings.maxUmapPoints()) {
            Neighbors[] knn = graph(unit);
            long t2 = System.nanoTime();
            double[][] xy = umap(start, knn);
            long t3 = System.nanoTime();
            return new Projection(xy, n, millis(t0, t1), millis(t1, t2), millis(t2, t3), 0);
        }
        int m = settings.maxUmapPoints();
        int[] landmarks = new java.util.SplittableRandom(settings.seed()).ints(0, n).distinct().limit(m).sorted().toArray();
        double[][] landmarkStart = new double[m][];
        float[][] landmarkUnit = new float[m][];
        for (int i = 0; i < m; i++) {
            landmarkStart[i] = start[landmarks[i]];
            landmarkUnit[i] = unit[landmarks[i]];
        }
        Neighbors[] knn = graph(landmarkUnit);
        long t2 = System.nanoTime();
        double[][] landmarkXy = umap(landmarkStart, knn);
        long t3 = System.nanoTime();
        double[][] xy = new double[n][];
        for (int i = 0; i < m; i++) {
            xy[landmarks[i]] = landmarkXy[i];
        }
        ClusteredKnn index = new ClusteredKnn(landmarkUnit, settings.probes(), settings.seed());
        java.util.stream.IntStream.range(0, n).parallel().filter(i -> xy[i] == null)
                .forEach(i -> xy[i] = place(index.nearest(unit[i], PLACEMENT_NEIGHBORS, -1), landmarkXy));
        long t4 = System.nanoTime();
        return new Projection(xy, m, millis(t0, t1), millis(t1, t2), millis(t2, t3), millis(t3, t4));
    }

    /**
     * The similarity-weighted mean position of a point's nearest mapped neighbours (weight 1 / (distance + 0.01),
     * so an exact duplicate lands on its twin), or the origin when there are none.
     *
     * @param near      neighbours by row of {@code positions}, with cosine distances
     * @param positions map positions by row; a null entry is skipped
     */
    public static double[] place(Neighbors near, double[][] positions) {
        double x = 0;
        double y = 0;
        double total = 0;
        for (int j = 0; j < near.size(); j++) {
            double[] p = positions[near.index()[j]];
            if (p != null) {
                double w = 1.0 / (Math.max(0, near.distance()[j]) + 0.01);
                x += w * p[0];
                y += w * p[1];
                total += w;
            }
        }
        return total == 0 ? new double[]{0, 0} : new double[]{x / total, y / total};
    }

    private Neighbors[] graph(float[][] unit) {
        int k = Math.min(settings.neighbors(), unit.length - 1);
        return unit.length <= settings.exactGraphLimit()
                ? new VectorIndex(unit).graph(k)
                : ClusteredKnn.graph(unit, k, settings.probes(), settings.seed());
    }

    private double[][] umap(double[][] start, Neighbors[] knn) {
        return UmapLayout.layout(knn, start, settings.epochs(), settings.minDist(), settings.seed(),
                Runtime.getRuntime().availableProcessors());
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    /** Rows scaled to unit length (cosine distance in the reduced space), as floats. */
    private static float[][] unit(double[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double norm = 0;
            for (double v : rows[i]) {
                norm += v * v;
            }
            double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            out[i] = new float[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                out[i][j] = (float) (rows[i][j] * scale);
            }
        }
        return out;
    }

    /** The rows projected on their {@code dimensions} principal components, largest first (as they are if fewer). */
    private static double[][] reduce(float[][] vectors, int dimensions) {
        int n = vectors.length;
        int d = vectors[0].length;
        double[][] data = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                data[i][j] = vectors[i][j];
            }
        }
        int target = Math.min(dimensions, Math.min(d, n - 1));
        if (target >= d) {
            return data;
        }
        PCA pca = PCA.fit(data).getProjection(target);
        double[][] reduced = new double[n][];
        for (int i = 0; i < n; i++) {
            reduced[i] = pca.apply(data[i]);
        }
        return reduced;
    }
}
