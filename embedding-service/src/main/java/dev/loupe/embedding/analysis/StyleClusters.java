package dev.loupe.embedding.analysis;

import smile.clustering.KMeans;
import smile.math.MathEx;

/** Groups of similar style within one class (k-means on its embeddings), for style-balanced splits. */
public final class StyleClusters {

    private StyleClusters() {
    }

    /** A cluster count that grows slowly with the class size: 1 for tiny classes, at most {@code max}. */
    public static int clusterCount(int items, int max) {
        return Math.max(1, Math.min(max, (int) Math.round(Math.sqrt(items / 10.0))));
    }

    /** Style cluster per row of the snapshot, numbered within each class (up to 8 per class). */
    public static int[] withinEachClass(ProjectSnapshot snapshot) {
        int[] cluster = new int[snapshot.size()];
        double[][] features = snapshot.features();
        snapshot.rowsByLabel().forEach((label, members) -> {
            double[][] x = new double[members.size()][];
            for (int j = 0; j < members.size(); j++) {
                x[j] = features[members.get(j)];
            }
            int[] group = assign(x, clusterCount(members.size(), 8), 42);
            for (int j = 0; j < members.size(); j++) {
                cluster[members.get(j)] = group[j];
            }
        });
        return cluster;
    }

    /** Cluster index per row, deterministic for a seed. */
    public static int[] assign(double[][] x, int k, long seed) {
        if (k <= 1 || x.length <= k) {
            return new int[x.length];
        }
        synchronized (MathEx.class) {
            MathEx.setSeed(seed);
            var clustering = KMeans.fit(x, k, 50);
            int[] group = new int[x.length];
            for (int i = 0; i < x.length; i++) {
                group[i] = clustering.group(i);
            }
            return group;
        }
    }
}
