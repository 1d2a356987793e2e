package dev.loupe.embedding.analysis;

/**
 * How differently train and validation are distributed: the cross-validated AUC of a classifier that tries to
 * tell a train item from a val item by its embedding (0.5: indistinguishable; near 1: a shift the model will pay
 * for), plus each region's train share against the overall one.
 */
public final class Shift {

    /** One region (cluster) of the map with its train and val counts. */
    public record Region(int cluster, int train, int val, double trainShare) {
    }

    private Shift() {
    }

    /** @param isVal true for val rows; only train and val rows are passed in */
    public static double auc(double[][] x, boolean[] isVal, int folds, long seed) {
        int[] labels = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            labels[i] = isVal[i] ? 1 : 0;
        }
        double[][] p = OutOfFold.probabilities(x, labels, 2, folds, seed, 0.1);
        double[] score = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            score[i] = p[i][1];
        }
        return auc(score, isVal);
    }

    /** Mann-Whitney AUC: the chance a random val row scores above a random train row (ties count half). */
    static double auc(double[] score, boolean[] positive) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                if (positive[order[t]]) {
                    rankSum += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = score.length - positives;
        if (positives == 0 || negatives == 0) {
            return 0.5;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    public static Region[] regions(int[] cluster, boolean[] isVal, int clusters) {
        int[] train = new int[clusters];
        int[] val = new int[clusters];
        for (int i = 0; i < cluster.length; i++) {
            if (isVal[i]) {
                val[cluster[i]]++;
            } else {
                train[cluster[i]]++;
            }
        }
        Region[] regions = new Region[clusters];
        for (int c = 0; c < clusters; c++) {
            int total = train[c] + val[c];
            regions[c] = new Region(c, train[c], val[c], total == 0 ? 0 : (double) train[c] / total);
        }
        return regions;
    }
}
