package dev.loupe.e2e.bench;

import java.util.Arrays;

/** Percentiles of measured times, as every benchmark of this module reports them. */
public final class Stats {

    private Stats() {
    }

    /** The p-th percentile (nearest rank) of {@code values}. */
    public static double pct(double[] values, int p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }
}
