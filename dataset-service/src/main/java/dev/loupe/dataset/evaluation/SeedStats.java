package dev.loupe.dataset.evaluation;

import java.util.List;

/** Mean, sample standard deviation and the paired-t 95% interval over a few seeds. */
public final class SeedStats {

    /** Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
        2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
        2.048, 2.045, 2.042};

    private SeedStats() {
    }

    public static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n - 1); null for fewer than two values. */
    public static Double sd(List<Double> values) {
        int n = values.size();
        if (n < 2) {
            return null;
        }
        double m = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (n - 1));
    }

    /** t(0.975, df); beyond the table by the Cornish-Fisher expansion around the normal quantile. */
    public static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("df " + df);
        }
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = 1.959964;
        return z + (z * z * z + z) / (4.0 * df) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96.0 * df * df);
    }

    /** The 95% interval of the mean of paired differences, or null with fewer than two pairs (unknown). */
    public static double[] interval95(List<Double> differences) {
        Double sd = sd(differences);
        if (sd == null) {
            return null;
        }
        int n = differences.size();
        double m = mean(differences);
        double half = t975(n - 1) * sd / Math.sqrt(n);
        return new double[] {m - half, m + half};
    }

    /** "better" / "worse" when the interval excludes 0, else "no detectable difference" (also when it is unknown). */
    public static String verdict(double[] interval) {
        if (interval == null) {
            return "no detectable difference";
        }
        if (interval[0] > 0) {
            return "better";
        }
        if (interval[1] < 0) {
            return "worse";
        }
        return "no detectable difference";
    }
}
