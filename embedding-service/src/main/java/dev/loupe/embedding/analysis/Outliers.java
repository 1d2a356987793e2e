package dev.loupe.embedding.analysis;

import java.util.Arrays;

/**
 * Atypical images (blank, noise, scribbles) sit far from everything: the score is the mean cosine distance to the
 * nearest neighbours, and the robust z-score (median and MAD) says how unusual that is for this project.
 */
public final class Outliers {

    public record Score(int row, double meanDistance, double robustZ) {
    }

    private Outliers() {
    }

    public static Score[] scores(Neighbors[] neighbors) {
        int n = neighbors.length;
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (float d : neighbors[i].distance()) {
                sum += d;
            }
            mean[i] = neighbors[i].size() == 0 ? 0 : sum / neighbors[i].size();
        }
        double median = median(mean.clone());
        double[] deviation = new double[n];
        for (int i = 0; i < n; i++) {
            deviation[i] = Math.abs(mean[i] - median);
        }
        double mad = Math.max(median(deviation) * 1.4826, 1e-9);
        Score[] scores = new Score[n];
        for (int i = 0; i < n; i++) {
            scores[i] = new Score(i, mean[i], (mean[i] - median) / mad);
        }
        return scores;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
