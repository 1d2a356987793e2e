package dev.loupe.embedding.analysis;

import smile.feature.extraction.PCA;
import smile.graph.NearestNeighborGraph;
import smile.manifold.UMAP;
import smile.math.MathEx;

/**
 * Projects embeddings to the 2-D map: PCA down to a few dozen dimensions (UMAP's cost grows with dimension), an
 * exact cosine k-NN graph from {@link VectorIndex} (so no point is dropped: every point gets k neighbours), then
 * Smile's UMAP on that graph. Deterministic for a seed.
 */
public final class MapProjector {

    /** @param pcaDimensions target dimension before UMAP (ignored when the vectors are already smaller) */
    public record Settings(int neighbors, int pcaDimensions, int epochs, double minDist, long seed) {
        public static Settings defaults() {
            return new Settings(15, 32, 200, 0.1, 42);
        }
    }

    private final Settings settings;

    public MapProjector(Settings settings) {
        this.settings = settings;
    }

    /** Returns one (x, y) per input row, in input order. Needs at least 3 points. */
    public double[][] project(float[][] vectors) {
        int n = vectors.length;
        if (n < 3) {
            throw new IllegalArgumentException("a map needs at least 3 points, got " + n);
        }
        int k = Math.min(settings.neighbors(), n - 1);
        Neighbors[] knn = new VectorIndex(vectors).graph(k);
        int[][] neighbors = new int[n][];
        double[][] distances = new double[n][];
        for (int i = 0; i < n; i++) {
            neighbors[i] = knn[i].index();
            distances[i] = new double[knn[i].size()];
            for (int j = 0; j < knn[i].size(); j++) {
                distances[i][j] = Math.max(0, knn[i].distance()[j]);
            }
        }
        double[][] reduced = reduce(vectors);
        synchronized (MathEx.class) {
            // Smile seeds its random generator globally; one projection at a time keeps maps reproducible
            MathEx.setSeed(settings.seed());
            var options = new UMAP.Options(k, 2, settings.epochs(), 1.0, settings.minDist(), 1.0, 5, 1.0, 1.0);
            return UMAP.fit(reduced, new NearestNeighborGraph(k, neighbors, distances), options);
        }
    }

    private double[][] reduce(float[][] vectors) {
        int n = vectors.length;
        int d = vectors[0].length;
        double[][] data = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                data[i][j] = vectors[i][j];
            }
        }
        int target = Math.min(settings.pcaDimensions(), Math.min(d, n - 1));
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
