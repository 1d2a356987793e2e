package dev.loupe.embedding.analysis.issues;

import dev.loupe.embedding.analysis.ProjectSnapshot;
import dev.loupe.embedding.analysis.Shift;
import dev.loupe.embedding.analysis.StyleClusters;

import java.util.ArrayList;
import java.util.List;

/**
 * How differently train and val are distributed ({@link Shift}): a measure of the whole project, not of items (like
 * cleanlab's non-IID score), so not an {@link IssueFinder}. Needs {@link #MIN_ITEMS} train and val items; below
 * that it reports 0.5 (no evidence of a shift) and no regions.
 */
public final class TrainValShift {

    /** The train-versus-val AUC and each region's train share. */
    public record Report(double trainVsValAuc, List<Shift.Region> regions) {
    }

    static final int MIN_ITEMS = 20;
    static final int FOLDS = 5;
    static final long SEED = 42;

    public Report measure(ProjectSnapshot snapshot) {
        int n = snapshot.size();
        List<Integer> trainVal = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String split = snapshot.row(i).split();
            if ("train".equals(split) || "val".equals(split)) {
                trainVal.add(i);
            }
        }
        if (trainVal.size() < MIN_ITEMS) {
            return new Report(0.5, List.of());
        }
        double[][] x = snapshot.features();
        double[][] tx = new double[trainVal.size()][];
        boolean[] isVal = new boolean[trainVal.size()];
        for (int j = 0; j < trainVal.size(); j++) {
            tx[j] = x[trainVal.get(j)];
            isVal[j] = "val".equals(snapshot.row(trainVal.get(j)).split());
        }
        double auc = Shift.auc(tx, isVal, FOLDS, SEED);
        // regions of the whole project (test items too), a few more as it grows
        int k = Math.max(2, Math.min(20, (int) Math.round(Math.sqrt(n / 20.0))));
        int[] region = StyleClusters.assign(x, k, SEED);
        int[] trainValRegion = new int[trainVal.size()];
        for (int j = 0; j < trainVal.size(); j++) {
            trainValRegion[j] = region[trainVal.get(j)];
        }
        return new Report(auc, List.of(Shift.regions(trainValRegion, isVal, k)));
    }
}
